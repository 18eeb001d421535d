// `/artifacts/<id>/<file>`: an artifact's file downloaded through the API (which checks the session's access).
import { proxy } from '@/lib/proxy';

export const dynamic = 'force-dynamic';

export async function GET(req: Request, { params }: { params: Promise<{ id: string; file: string }> }) {
  const { id, file } = await params;
  return proxy(req, `/artifacts/${encodeURIComponent(id)}/${encodeURIComponent(file)}`);
}
