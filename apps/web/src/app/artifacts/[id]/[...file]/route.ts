// `/artifacts/<id>/<path…>`: a file of an artifact downloaded through the API (which checks the session's access
// and serves only blobs the artifact's manifest maps the path to). Each segment is re-encoded on the way.
import { proxy } from '@/lib/proxy';

export const dynamic = 'force-dynamic';

export async function GET(req: Request, { params }: { params: Promise<{ id: string; file: string[] }> }) {
  const { id, file } = await params;
  return proxy(req, `/artifacts/${encodeURIComponent(id)}/${file.map(encodeURIComponent).join('/')}`);
}
