/**
 * Multilayer perceptrons for low-dimensional tasks (the 2D toy distributions). Reference
 * configuration (the benchmark's "2D MLP GAN"): 2 hidden layers of 256, leaky ReLU 0.2.
 */
import { Activation } from '../../nn/activations';
import { dense } from '../../nn/dense';
import { Init, SeedLike, toRng, checkPositiveInt } from '../../nn/init';
import { Net, sequential, WeightTransform } from '../../nn/net';

export interface MlpConfig {
  /** Width of each hidden layer (default 256). */
  width?: number;
  /** Number of hidden layers (default 2). */
  depth?: number;
  /** Explicit hidden widths; overrides width/depth. */
  hidden?: number[];
  /** Hidden activation (default leaky ReLU 0.2). */
  activation?: Activation;
  init?: Init;
  weightTransform?: WeightTransform;
  name?: string;
  seed?: SeedLike;
}

export interface MlpGeneratorConfig extends MlpConfig {
  /** Latent dimension (default 2). */
  latentDim?: number;
  /** Data dimension (default 2). */
  outputDim?: number;
  /** Output activation (default linear). */
  outputActivation?: Activation;
}

export interface MlpDiscriminatorConfig extends MlpConfig {
  /** Data dimension (default 2). */
  inputDim?: number;
}

function hiddenWidths(where: string, cfg: MlpConfig): number[] {
  if (cfg.hidden) {
    cfg.hidden.forEach((h, i) => checkPositiveInt(where, `hidden[${i}]`, h));
    return cfg.hidden;
  }
  const width = cfg.width ?? 256;
  const depth = cfg.depth ?? 2;
  checkPositiveInt(where, 'width', width);
  if (!Number.isInteger(depth) || depth < 0) throw new Error(`${where}: depth must be an integer >= 0, got ${depth}`);
  return Array.from({ length: depth }, () => width);
}

/** An MLP from `inDim` through the hidden widths to `outDim`. */
export function mlp(inDim: number, outDim: number, cfg: MlpConfig & { outputActivation?: Activation }): Net {
  const name = cfg.name ?? 'mlp';
  checkPositiveInt(name, 'input dimension', inDim);
  checkPositiveInt(name, 'output dimension', outDim);
  const widths = hiddenWidths(name, cfg);
  const r = toRng(cfg.seed);
  const dims = [inDim, ...widths, outDim];
  const layers: Net[] = [];
  for (let i = 0; i + 1 < dims.length; i++) {
    const last = i + 2 === dims.length;
    layers.push(
      dense({
        inUnits: dims[i],
        units: dims[i + 1],
        activation: last ? cfg.outputActivation ?? 'linear' : cfg.activation ?? 'leakyRelu',
        init: cfg.init,
        weightTransform: cfg.weightTransform,
        name: `${name}/dense${i}`,
        index: i,
        seed: r.fork(),
      }),
    );
  }
  return sequential(name, layers);
}

/** G: [batch, latentDim] -> [batch, outputDim]. */
export function mlpGenerator(cfg: MlpGeneratorConfig = {}): Net {
  return mlp(cfg.latentDim ?? 2, cfg.outputDim ?? 2, { ...cfg, name: cfg.name ?? 'G' });
}

/** D: [batch, inputDim] -> [batch, 1] logits. */
export function mlpDiscriminator(cfg: MlpDiscriminatorConfig = {}): Net {
  return mlp(cfg.inputDim ?? 2, 1, { ...cfg, outputActivation: 'linear', name: cfg.name ?? 'D' });
}
