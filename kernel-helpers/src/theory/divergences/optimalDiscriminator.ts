/**
 * The discriminator side of the minimax game of Goodfellow et al. (2014):
 *   V(D, G) = E_{p_data}[log D(x)] + E_{p_g}[log(1 - D(x))].
 * For a fixed generator the integrand a log y + b log(1 - y) (a = p_data(x), b = p_g(x)) is
 * maximised pointwise at y = a / (a + b), so D*(x) = p_data / (p_data + p_g) and
 * V(D*, G) = 2 JS(p_data || p_g) - 2 log 2.
 */
import { derivative, parse, rationalize, simplify, MathNode } from 'mathjs';
import { DensityInput, Grid, densityOnGrid } from './grid';
import { argumentError } from '../../core/args';

/** D*(x) = p_data(x) / (p_data(x) + p_g(x)); 1/2 where both densities vanish (any value is optimal there). */
export function optimalDiscriminator(pData: (x: number) => number, pG: (x: number) => number): (x: number) => number {
  if (typeof pData !== 'function') throw argumentError('optimalDiscriminator', 'pData', 'a density function (x) => number', pData);
  if (typeof pG !== 'function') throw argumentError('optimalDiscriminator', 'pG', 'a density function (x) => number', pG);
  return (x: number) => {
    const a = pData(x);
    const b = pG(x);
    if (!(a >= 0)) throw new Error(`optimalDiscriminator: pData(${x}) = ${a} is not a non-negative number`);
    if (!(b >= 0)) throw new Error(`optimalDiscriminator: pG(${x}) = ${b} is not a non-negative number`);
    return a + b === 0 ? 0.5 : a / (a + b);
  };
}

/**
 * V(D, G) by quadrature, for a discriminator D with values in [0, 1].
 * Terms with zero density weight are skipped (0 log 0 = 0), so D may touch 0 or 1 off-support.
 */
export function valueFunction(d: DensityInput, pData: DensityInput, pG: DensityInput, grid: Grid, tol?: number): number {
  const a = densityOnGrid('valueFunction', 'pData', pData, grid, tol);
  const b = densityOnGrid('valueFunction', 'pG', pG, grid, tol);
  const dv = typeof d === 'function' ? grid.x.map((x) => d(x)) : [...d];
  if (dv.length !== grid.x.length) throw new Error(`valueFunction: d has ${dv.length} values but the grid has ${grid.x.length} nodes`);
  let v = 0;
  for (let i = 0; i < dv.length; i++) {
    const y = dv[i];
    if (!(y >= 0 && y <= 1)) throw new Error(`valueFunction: d(${grid.x[i]}) = ${y} is not a probability in [0, 1]`);
    if (a[i] > 0) v += grid.w[i] * a[i] * Math.log(y);
    if (b[i] > 0) v += grid.w[i] * b[i] * Math.log(1 - y);
  }
  return v;
}

/** V(D*, G) = integral of p_data log D* + p_g log(1 - D*), computed from the definition of D* (not from the JS identity, which is what the tests check). */
export function valueAtOptimum(pData: DensityInput, pG: DensityInput, grid: Grid, tol?: number): number {
  const a = densityOnGrid('valueAtOptimum', 'pData', pData, grid, tol);
  const b = densityOnGrid('valueAtOptimum', 'pG', pG, grid, tol);
  // a log(a/(a+b)) + b log(b/(a+b)), written with logs of the densities so that far tails,
  // where a/(a+b) would round to 0 or 1, stay exact.
  let v = 0;
  for (let i = 0; i < a.length; i++) {
    const s = a[i] + b[i];
    if (a[i] > 0) v += grid.w[i] * a[i] * (Math.log(a[i]) - Math.log(s));
    if (b[i] > 0) v += grid.w[i] * b[i] * (Math.log(b[i]) - Math.log(s));
  }
  return v;
}

export interface SymbolicArgmax {
  /** The objective a log(y) + b log(1 - y). */
  objective: MathNode;
  /** d/dy of the objective, from mathjs `derivative`. */
  firstDerivative: MathNode;
  /** d^2/dy^2 of the objective. */
  secondDerivative: MathNode;
  /** The stationary point, simplified (mathjs prints it as "a / (b + a)"). */
  argmax: MathNode;
}

/** Replaces every occurrence of symbol `name` by a constant. */
function substitute(node: MathNode, name: string, value: number): MathNode {
  return node.transform((n: MathNode) => ((n as any).isSymbolNode && (n as any).name === name ? parse(String(value)) : n));
}

/**
 * Derives argmax_y a log y + b log(1 - y) symbolically: differentiate with mathjs, clear the
 * denominators (multiply by y (1 - y), which is positive on (0, 1)), and solve the resulting
 * equation, which is linear in y: N(y) = c0 + c1 y with c0 = N(0), c1 = N(1) - N(0).
 */
export function deriveOptimalDiscriminator(): SymbolicArgmax {
  const objective = parse('a * log(y) + b * log(1 - y)');
  const firstDerivative = derivative(objective, 'y');
  const secondDerivative = derivative(firstDerivative, 'y');
  // rationalize writes the derivative as one fraction N(y) / (y - y^2); the denominator is > 0 on (0, 1).
  const fraction: any = rationalize(firstDerivative, {}, true);
  const numerator: MathNode = fraction.numerator;
  const c0 = simplify(substitute(numerator, 'y', 0));
  const c1 = simplify(parse(`(${substitute(numerator, 'y', 1).toString()}) - (${c0.toString()})`));
  // Linearity check: N(1/2) must equal c0 + c1/2, otherwise the solve below would be wrong.
  const half = simplify(parse(`(${substitute(numerator, 'y', 0.5).toString()}) - ((${c0.toString()}) + (${c1.toString()}) / 2)`));
  if (half.toString() !== '0') throw new Error(`deriveOptimalDiscriminator: numerator is not linear in y (${numerator.toString()})`);
  const argmax = simplify(parse(`-(${c0.toString()}) / (${c1.toString()})`));
  return { objective, firstDerivative, secondDerivative, argmax };
}
