// Exit 0 when Dawn finds a real (non-null) WebGPU adapter, printing its name; 1 otherwise.
// Plain JS so setup can run it before anything else is built.
import { create, globals } from 'webgpu';

Object.assign(globalThis, globals);
const gpu = create([]);
try {
  const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  const info = adapter?.info;
  if (!adapter || /null/i.test(info.device)) {
    console.log('no WebGPU adapter');
    process.exit(1);
  }
  console.log(`${info.description || info.device} (${info.vendor}, ${info.architecture})`);
} catch (e) {
  console.log(`no WebGPU adapter: ${String(e.message).split('\n')[0]}`);
  process.exit(1);
}
