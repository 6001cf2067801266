/**
 * Saturating vs non-saturating generator losses as functions of d = D(G(z)) = sigmoid(l),
 * where l is the discriminator's logit. Early in training the discriminator rejects fakes
 * (d -> 0): the saturating loss log(1 - d) then has a vanishing gradient with respect to the
 * logit (-d), while the non-saturating loss -log d keeps a gradient of -(1 - d) ~ -1.
 */
import { argumentError, checkOneOf } from '../../core/args';

export type GeneratorLossKind = 'saturating' | 'non-saturating';
const GENERATOR_LOSS_KINDS = ['saturating', 'non-saturating'] as const;
const GRADIENT_WRT = ['logit', 'probability'] as const;

/** d = D(G(z)), a probability strictly inside (0, 1). */
function checkD(who: string, name: string, d: number): void {
  if (typeof d !== 'number' || !(d > 0 && d < 1)) throw argumentError(who, `${name} = D(G(z))`, 'in (0, 1)', d);
}

/** The generator's loss at d: log(1 - d) (saturating, minimised) or -log d (non-saturating). */
export function generatorLoss(d: number, kind: GeneratorLossKind): number {
  checkD('generatorLoss', 'd', d);
  checkOneOf('generatorLoss', 'kind', kind, GENERATOR_LOSS_KINDS);
  return kind === 'saturating' ? Math.log(1 - d) : -Math.log(d);
}

/**
 * Derivative of the generator loss with respect to the discriminator's logit l (d = sigmoid(l)),
 * which is what back-propagates into the generator: -d (saturating) or -(1 - d) (non-saturating).
 * With wrt = 'probability' the derivative with respect to d itself: -1/(1 - d) or -1/d.
 */
export function generatorLossGradient(d: number, kind: GeneratorLossKind, wrt: 'logit' | 'probability' = 'logit'): number {
  checkD('generatorLossGradient', 'd', d);
  checkOneOf('generatorLossGradient', 'kind', kind, GENERATOR_LOSS_KINDS);
  checkOneOf('generatorLossGradient', 'wrt', wrt, GRADIENT_WRT);
  if (wrt === 'logit') return kind === 'saturating' ? -d : -(1 - d);
  return kind === 'saturating' ? -1 / (1 - d) : -1 / d;
}
