export { averagePool2x, loadDigits, digitImage } from './digits/mnistDigits';
export type { DigitSet, DigitSplit, LoadDigitsOptions } from './digits/mnistDigits';
export { modeId, modeDigits, sampleStackedDigits, sampleDigits, channelsSideBySide } from './digits/stackedDigits';
export type { StackedDigitBatch, StackedDigitOptions } from './digits/stackedDigits';
export { mixture1d } from './mixture1d';
export type { Mixture1D } from './mixture1d';
export { gaussianMixture2d, ring8, grid25, swissRoll } from './toy2d';
export type { Point2, GaussianModes, ToyDistribution2D } from './toy2d';
