/** The grading commands parse their arguments with the CLI's one parser. */
export { ArgError, parseArgs, secondsOption } from '../options';
export type { ParsedArgs } from '../options';
