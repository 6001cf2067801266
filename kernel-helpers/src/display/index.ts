export { show, liveDisplay } from './show';
export type { ShowOptions, LiveDisplay, LiveDisplayOptions } from './show';
export { images, table, latex, markdown } from './showable';
export type {
  Showable,
  TensorLike,
  NestedImages,
  ImageGrid,
  ImageGridOptions,
  Table,
  TableOptions,
  TableRow,
  Latex,
  Markdown,
} from './showable';
export { renderOutput } from './render';
export type { MimeBundle, RenderedOutput } from './mimeBundle';
export { MIME } from './mimeBundle';
export { inKernel, setKernelWriter } from './kernelTransport';
export type { KernelWriter, DisplayMessageContent } from './kernelTransport';
export { renderVegaLite, compileVegaLite } from './vegaLiteRender';
export { renderImageGrid } from './imageGrid';
export { trainingDashboard, dashboardSpec, progressLine } from './trainingDashboard';
export type {
  TrainingDashboard,
  TrainingDashboardOptions,
  DashboardStepInfo,
  DashboardEndInfo,
  DashboardStats,
} from './trainingDashboard';
export { chapterResults } from './chapterResults';
export type { Claim } from './chapterResults';
