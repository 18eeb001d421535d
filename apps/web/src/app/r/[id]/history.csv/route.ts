// `/r/<run id>/history.csv[?keys=…]`, beside the run's page: its full-resolution history as CSV, through the API
// (which checks the session's access).
import { proxy } from '@/lib/proxy';

export const dynamic = 'force-dynamic';

export async function GET(req: Request, { params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return proxy(req, `/runs/${encodeURIComponent(id)}/history.csv`);
}
