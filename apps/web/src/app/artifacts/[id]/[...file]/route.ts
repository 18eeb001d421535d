// `/artifacts/<id>/<path…>`: a file of an artifact (its path may hold `/`), downloaded through the API, which
// checks the session's access and streams the stored blob the artifact's manifest maps that path to. Each
// segment is encoded again as it goes, so the API sees the same path the link named.
import { proxy } from '@/lib/proxy';

export const dynamic = 'force-dynamic';

export async function GET(req: Request, { params }: { params: Promise<{ id: string; file: string[] }> }) {
  const { id, file } = await params;
  return proxy(req, `/artifacts/${encodeURIComponent(id)}/${file.map(encodeURIComponent).join('/')}`);
}
