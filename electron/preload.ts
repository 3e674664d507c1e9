// Built to CommonJS (dist/electron/preload.cjs): sandboxed preloads must be CommonJS and can require only 'electron'. This exposes exactly
// the contract's methods, each bound to its own channel, and a listener for contract events.
import { contextBridge, ipcRenderer } from 'electron';
import { channelFor, eventChannel, eventNames, methodNames } from '../shared/contract/names';

const methods: Record<string, (input: unknown) => Promise<unknown>> = {};
for (const name of methodNames) {
  const channel = channelFor(name);
  methods[name] = (input: unknown) => ipcRenderer.invoke(channel, input);
}

contextBridge.exposeInMainWorld('pos', {
  methods: Object.freeze(methods),
  on(event: string, listener: (payload: unknown) => void): () => void {
    if (!(eventNames as readonly string[]).includes(event) || typeof listener !== 'function') return () => {};
    const handler = (_e: unknown, msg: { event: string; payload: unknown }) => {
      if (msg && msg.event === event) listener(msg.payload);
    };
    ipcRenderer.on(eventChannel, handler);
    return () => ipcRenderer.removeListener(eventChannel, handler);
  },
});
