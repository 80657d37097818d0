// Types of runtime-tuning.js (the bin stays plain JavaScript so it runs before any TypeScript is loaded).
export declare const SERVICE_V8_FLAGS: readonly string[];
export declare const SERVICE_ENV: Readonly<Record<string, string>>;
export declare function applyRuntimeTuning(argv?: readonly string[]): void;
