/**
 * The GAN area: networks, losses, penalties and the one training loop every chapter uses.
 *
 *   const G = mlpGenerator({ seed: 1 });            // [n, 2] -> [n, 2]
 *   const D = mlpDiscriminator({ seed: 2 });        // [n, 2] -> [n, 1] logits
 *   const result = await train({
 *     generator: G, discriminator: D,
 *     sampleReal: (n) => ..., sampleLatent: (n) => tf.randomNormal([n, 2]),
 *     loss: 'relativisticPaired', penalties: { r1: 1, r2: 1 },
 *     lrD: 4e-4, lrG: 1e-4, betas: [0, 0.99], batchSize: 256, steps: 2000, ema: 0.999,
 *     callbacks: trainingDashboard({ title: 'RpGAN + R1 + R2' }),
 *   });
 *
 * Every activation offered for discriminators has correct second derivatives, so R1, R2
 * and the gradient penalty are right (finite-difference tests in test/unit/gan).
 */
export { minimaxLoss, nonSaturatingLoss, wassersteinLoss, hingeLoss, leastSquaresLoss, relativisticAverageLoss, relativisticPairedLoss, GAN_LOSS_NAMES, ganLoss } from './losses';
export type { GanLoss, GanLossName } from './losses';
export { dcganGenerator, dcganDiscriminator, dcganFeatures } from './models/dcgan';
export type { DcganConfig, DcganGeneratorConfig, DcganDiscriminatorConfig, DcganImageSize } from './models/dcgan';
export { infoGanNets, infoGanLatents, infoGanLatentDim, infoLoss } from './models/infoGan';
export type { InfoGanCodes, InfoGanConfig, InfoGanNets, InfoGanLatents, InfoLossTerms } from './models/infoGan';
export { biGanNets } from './models/biGan';
export type { BiGanConfig, BiGanNets, PairDiscriminator } from './models/biGan';
export { adversarialLoop } from './adversarialLoop';
export type { AdversarialTrainOptions, AdversarialLoopConfig, LoopStepScalars, LoopStepInfo, LoopHistoryEntry, LoopResult, LoopCallbacks } from './adversarialLoop';
export { trainInfoGan } from './infoGanTraining';
export type { InfoGanTrainConfig } from './infoGanTraining';
export { trainBiGan } from './biGanTraining';
export { fitDiscriminator } from './fitDiscriminator';
export { trainSuperResolution } from './superResolutionTraining';
export type { SuperResolutionBatch, SuperResolutionWeights, SuperResolutionTrainConfig } from './superResolutionTraining';
export type { FitDiscriminatorConfig } from './fitDiscriminator';
export { trainImportanceWeighted, GENERATOR_WEIGHTINGS } from './importanceWeightedTraining';
export type { ImportanceWeightedTrainConfig, ImportanceWeightedResult, ProposalOptions, GeneratorWeighting } from './importanceWeightedTraining';
export type { BiGanTrainConfig } from './biGanTraining';
export { mlp, mlpGenerator, mlpDiscriminator } from './models/mlp';
export type { MlpConfig, MlpGeneratorConfig, MlpDiscriminatorConfig } from './models/mlp';
export { residualBlock, residualGenerator, residualDiscriminator } from './models/residual';
export type { ResidualBlockConfig, ResidualNetConfig, ResidualGeneratorConfig, ResidualDiscriminatorConfig } from './models/residual';
export { gruGenerator, gruDiscriminator } from './models/sequenceNets';
export type { SequenceNetConfig, GruGeneratorConfig, GruDiscriminatorConfig } from './models/sequenceNets';
export { inputGradient, r1Penalty, r2Penalty, interpolate, gradientPenalty } from './penalties';
export type { Critic, GradientPenaltyOptions } from './penalties';
export { train } from './train';
export type { PenaltyName, PenaltyWeights, StepInfo, HistoryEntry, TrainCallbacks, TrainConfig, TrainState, TrainResult, LabelledBatch } from './train';
export { esrganGenerator, esrganDiscriminator, esrganNets } from './models/esrgan';
export type { EsrganGeneratorConfig, EsrganDiscriminatorConfig, EsrganNetsConfig, EsrganUpsample, EsrganScale } from './models/esrgan';
export { styleGan2LikePath, aliasFreePath } from './models/synthesisPaths';
export type { SynthesisTransform, SynthesisPath, SynthesisPathConfig, AliasFreePathConfig } from './models/synthesisPaths';
export { cycleGanGenerator, patchGanDiscriminator, patchGanLayers, receptiveField } from './models/cycleGan';
export type { CycleGanGeneratorConfig, PatchGanConfig, ConvLayerGeometry } from './models/cycleGan';
export { imagePool } from './imagePool';
export type { ImagePool } from './imagePool';
export { cycleLoss, identityLoss } from './cycleLosses';
export { trainCycleGan } from './cycleGanTraining';
export type { CycleGanWeights, CycleGanTrainConfig } from './cycleGanTraining';
export { spadeGenerator, maskInputGenerator, multiScalePatchDiscriminator } from './models/spade';
export type { MaskConditionedGenerator, SpadeGeneratorConfig, MaskInputGeneratorConfig, MultiScalePatchDiscriminatorConfig, MultiScalePatchDiscriminator } from './models/spade';
export { trainSpade } from './spadeTraining';
export type { SpadeBatch, SpadeTrainConfig } from './spadeTraining';
export { cRnnGanGenerator, cRnnGanDiscriminator } from './models/cRnnGan';
export type { CRnnGanGeneratorConfig, CRnnGanDiscriminatorConfig, CRnnGanDiscriminator } from './models/cRnnGan';
export { trainCRnnGan, featureMatchingLoss } from './cRnnGanTraining';
export type { CRnnGanTrainConfig } from './cRnnGanTraining';
export { rcganGenerator, rcganDiscriminator, rcganConditionSize } from './models/rcgan';
export type { RcganCondition, RcganNetConfig, RcganGeneratorConfig, RcganNet } from './models/rcgan';
export { trainRcgan } from './rcganTraining';
export type { RcganBatch, RcganTrainConfig, RcganTrainResult } from './rcganTraining';
export { timeGanNets, timeGanNoise, sampleTimeGan } from './models/timeGan';
export type { TimeGanConfig, TimeGanNets, SampleTimeGanOptions } from './models/timeGan';
export { timeGanSupervisedLoss, timeGanReconstructionLoss, timeGanMomentLoss, bceWithLogits } from './timeGanLosses';
export { trainTimeGan } from './timeGanTraining';
export type { TimeGanWeights, TimeGanCallbacks, TimeGanTrainConfig, TimeGanTrainResult } from './timeGanTraining';
export { trainSequenceGan } from './sequenceGanTraining';
export type { SequenceGanTrainConfig } from './sequenceGanTraining';
export { declaredSequenceShape, checkSequenceBatch } from './sequenceChecks';
export type { SequenceShape } from './sequenceChecks';
