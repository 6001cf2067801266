/**
 * Saturating vs non-saturating generator losses as functions of d = D(G(z)) = sigmoid(l),
 * where l is the discriminator's logit. Early in training the discriminator rejects fakes
 * (d -> 0): the saturating loss log(1 - d) then has a vanishing gradient with respect to the
 * logit (-d), while the non-saturating loss -log d keeps a gradient of -(1 - d) ~ -1.
 */
export type GeneratorLossKind = 'saturating' | 'non-saturating';

function checkD(who: string, d: number): void {
  if (typeof d !== 'number' || !(d > 0 && d < 1)) throw new Error(`${who}: d = D(G(z)) must be in (0, 1), got ${d}`);
}

function checkKind(who: string, kind: string): void {
  if (kind !== 'saturating' && kind !== 'non-saturating') throw new Error(`${who}: kind must be 'saturating' or 'non-saturating', got '${kind}'`);
}

/** The generator's loss at d: log(1 - d) (saturating, minimised) or -log d (non-saturating). */
export function generatorLoss(d: number, kind: GeneratorLossKind): number {
  checkD('generatorLoss', d);
  checkKind('generatorLoss', kind);
  return kind === 'saturating' ? Math.log(1 - d) : -Math.log(d);
}

/**
 * Derivative of the generator loss with respect to the discriminator's logit l (d = sigmoid(l)),
 * which is what back-propagates into the generator: -d (saturating) or -(1 - d) (non-saturating).
 * With wrt = 'probability' the derivative with respect to d itself: -1/(1 - d) or -1/d.
 */
export function generatorLossGradient(d: number, kind: GeneratorLossKind, wrt: 'logit' | 'probability' = 'logit'): number {
  checkD('generatorLossGradient', d);
  checkKind('generatorLossGradient', kind);
  if (wrt !== 'logit' && wrt !== 'probability') throw new Error(`generatorLossGradient: wrt must be 'logit' or 'probability', got '${wrt}'`);
  if (wrt === 'logit') return kind === 'saturating' ? -d : -(1 - d);
  return kind === 'saturating' ? -1 / (1 - d) : -1 / d;
}
