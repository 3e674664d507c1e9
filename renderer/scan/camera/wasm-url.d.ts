// Vite turns a `?url` import into the URL of the file it emits into the bundle.
declare module '*.wasm?url' {
  const url: string;
  export default url;
}
