export * from './ode';
export * from './eigen';
export * from './bilinear';
export * from './diracGan';
export * from './twoPointCollapse';
