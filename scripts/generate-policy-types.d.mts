/** Types of scripts/generate-policy-types.mjs, for the freshness test. */
export declare const GENERATED: ReadonlyArray<{ schema: string; output: string; rootType: string }>;
export declare function generateAll(): Promise<Map<string, string>>;
