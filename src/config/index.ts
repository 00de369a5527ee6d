export { CONFIG_VARIABLES, loadConfig, type LoadConfigOptions } from './load-config';
export { ConfigError } from './config-error';
export type { AppConfig } from './types';
export { loadProcoreSettings } from './procore-settings';
