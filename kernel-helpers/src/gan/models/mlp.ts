/**
 * Multilayer perceptrons for low-dimensional tasks (the 2D toy distributions). Reference
 * configuration (the benchmark's "2D MLP GAN"): 2 hidden layers of 256, leaky ReLU 0.2.
 */
import { Activation } from '../../nn/activations';
import { dense } from '../../nn/dense';
import { Init, SeedLike, toRng } from '../../nn/init';
import { Net, sequential, WeightTransform } from '../../nn/net';
import { flattenLayer, reshapeLayer } from '../../nn/reshapeLayers';
import { checkInteger, checkPositiveInt, checkShape } from '../../core/args';

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
  /**
   * Per-example output shape, e.g. [14, 14, 2] for stacked digits: the last layer's
   * outputs are reshaped to it (its size is the output dimension; give one or the other).
   */
  outputShape?: number[];
  /** Output activation (default linear). */
  outputActivation?: Activation;
}

export interface MlpDiscriminatorConfig extends MlpConfig {
  /** Data dimension (default 2). */
  inputDim?: number;
  /** Per-example input shape, e.g. [14, 14, 2]: inputs are flattened first (give this or inputDim). */
  inputShape?: number[];
}

function shapeSize(where: string, name: string, shape: number[] | undefined, dim: number | undefined, fallback: number): number {
  if (!shape) return dim ?? fallback;
  checkShape(where, name, shape);
  const size = shape.reduce((a, b) => a * b, 1);
  if (dim !== undefined && dim !== size) throw new Error(`${where}: ${name} [${shape.join(', ')}] must have as many values as the dimension given (${dim}), got ${size}`);
  return size;
}

function hiddenWidths(where: string, cfg: MlpConfig): number[] {
  if (cfg.hidden) {
    cfg.hidden.forEach((h, i) => checkPositiveInt(where, `hidden[${i}]`, h));
    return cfg.hidden;
  }
  const width = cfg.width ?? 256;
  const depth = cfg.depth ?? 2;
  checkPositiveInt(where, 'width', width);
  checkInteger(where, 'depth', depth, 0);
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

/** G: [batch, latentDim] -> [batch, outputDim], or [batch, ...outputShape]. */
export function mlpGenerator(cfg: MlpGeneratorConfig = {}): Net {
  const name = cfg.name ?? 'G';
  const outDim = shapeSize(name, 'outputShape', cfg.outputShape, cfg.outputDim, 2);
  const body = mlp(cfg.latentDim ?? 2, outDim, { ...cfg, name });
  if (!cfg.outputShape) return body;
  const shape = cfg.outputShape;
  return sequential(name, [body, reshapeLayer([outDim], shape, `${name}/reshape`)]);
}

/** D: [batch, inputDim] (or [batch, ...inputShape]) -> [batch, 1] logits. */
export function mlpDiscriminator(cfg: MlpDiscriminatorConfig = {}): Net {
  const name = cfg.name ?? 'D';
  const inDim = shapeSize(name, 'inputShape', cfg.inputShape, cfg.inputDim, 2);
  const body = mlp(inDim, 1, { ...cfg, outputActivation: 'linear', name });
  if (!cfg.inputShape) return body;
  return sequential(name, [flattenLayer(cfg.inputShape, `${name}/flatten`), body]);
}
