// Types for the plain-JavaScript start-up helpers (scripts run before anything is built).
export declare const NATIVE_MODULES: string[];
export declare function nativeDir(root: string, abi: string): string;
export declare function electronBinary(root: string, options?: { install?: boolean }): { binary: string; reason?: undefined } | { binary: null; reason: string };
export declare function electronNativeBuilds(root: string, options: { electronVersion: string; abi: string }): Promise<{ ok: true; dir: string } | { ok: false; reason: string }>;
