/** Types for scripts/bundle.mjs (plain JavaScript so that it runs before anything is compiled). */
/** Where the bundle is written: dist/jelou-card.js. */
export declare const BUNDLE: string;
/** Bundles dist/src/main.js (compiled by tsc) and its dependencies into BUNDLE. */
export declare function bundle(): Promise<void>;
