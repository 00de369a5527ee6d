export { CONFIG_VARIABLES, loadConfig, type LoadConfigOptions } from './load-config';
export { ConfigError } from './config-error';
export type { AppConfig, RedisConnection } from './types';
export { loadProcoreSettings, type LoadProcoreSettingsOptions, type ProcoreSettings } from './procore-settings';
