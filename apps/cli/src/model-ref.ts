// What `anneal eval`, `anneal generate` (and any command that runs a saved model) accept as the model:
//   - a model directory (config.json, model.safetensors, tokenizer.json: a run's model/, a checkpoint, a HF dir);
//   - a run directory (what `anneal train` wrote): its model/;
//   - `artifact:<id>` / `artifact:<name>[:vN|:alias]` (by name with --project): the artifact, downloaded
//     through the API into <ANNEAL_DATA_DIR>/artifacts/<digest> once per content (a cache bounded by
//     ANNEAL_CACHE_GB; the command's lease on the directory lasts until its process exits, as it reads the model
//     for as long as it runs);
//   - a run id (`run_<uuid>` or the bare uuid): the latest model artifact that run produced, the same way.
// The API is ANNEAL_API_URL with ANNEAL_API_KEY, or the key `anneal api` wrote to <ANNEAL_DATA_DIR>/api-key.

import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { downloadCached } from '@anneal/client/artifacts';
import { checkModelDir } from '@anneal/trainer/model/pretrained';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const dataDir = () => process.env.ANNEAL_DATA_DIR ?? '.anneal';

function endpoint(): { url: string; apiKey: string } {
  const url = (process.env.ANNEAL_API_URL ?? '').replace(/\/$/, '');
  let apiKey = process.env.ANNEAL_API_KEY ?? '';
  const keyFile = join(dataDir(), 'api-key');
  if (!apiKey && existsSync(keyFile)) apiKey = readFileSync(keyFile, 'utf8').trim();
  return { url, apiKey };
}

export interface ResolvedModel {
  /** A local model directory, checked to hold the three files. */
  dir: string;
  /** How it was found, for the user (e.g. `artifact model-1a2b3c4d v2 (<id>)`). */
  source: string;
}

/** The model directory `ref` names (see the file comment); errors name `field` and what was wrong. */
export async function resolveModel(
  ref: string,
  { field = 'model', project }: { field?: string; project?: string } = {},
): Promise<ResolvedModel> {
  if (!ref) throw new Error(`${field}: empty; give a model directory, a run id or artifact:<ref>`);
  if (existsSync(ref)) {
    // A run directory holds the run's own config.json beside model/; a model directory holds the weights.
    if (
      statSync(ref).isDirectory() &&
      !existsSync(join(ref, 'model.safetensors')) &&
      existsSync(join(ref, 'model'))
    ) {
      const dir = join(ref, 'model');
      checkModelDir(dir, field);
      return { dir, source: `run directory ${ref}` };
    }
    checkModelDir(ref, field);
    return { dir: ref, source: `directory ${ref}` };
  }
  const runId = /^run_(.+)$/.exec(ref)?.[1] ?? (UUID.test(ref) ? ref : null);
  if (!ref.startsWith('artifact:') && runId === null)
    throw new Error(`${field}: ${ref} is not a directory, a run id (run_<uuid>) or artifact:<ref>`);
  if (runId !== null && !UUID.test(runId)) throw new Error(`${field}: ${ref} is not a run id (run_<uuid>)`);
  const ep = endpoint();
  if (!ep.url)
    throw new Error(`${field}: ${ref} is on the tracking API; set ANNEAL_API_URL (and ANNEAL_API_KEY)`);
  let artifact = ref;
  if (runId !== null) {
    artifact = `artifact:${await runModelArtifact(ep, runId, field)}`;
  }
  // Not released: the lease ends with the process (the commands read the model until they exit).
  // The worker's cache (worker.ts): one budget and one set of leases on this machine.
  const got = await downloadCached(artifact, join(dataDir(), 'artifacts', 'cache'), { ...ep, project });
  checkModelDir(got.dir, field);
  const a = got.artifact;
  return { dir: got.dir, source: `artifact ${a.name} v${a.version} (${a.id})` };
}

/** The id of the latest model artifact a run produced. */
async function runModelArtifact(
  ep: { url: string; apiKey: string },
  runId: string,
  field: string,
): Promise<string> {
  let res: Response;
  try {
    res = await fetch(`${ep.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${ep.apiKey}` },
      body: JSON.stringify({
        query: 'query($id: ID!) { run(id: $id) { artifacts { id kind version name } } }',
        variables: { id: `run_${runId}` },
      }),
      signal: AbortSignal.timeout(60_000),
    });
  } catch (e) {
    throw new Error(`${field}: the tracking API at ${ep.url} is unreachable: ${(e as Error).message}`);
  }
  const json = (await res.json().catch(() => ({}))) as {
    data?: { run?: { artifacts: { id: string; kind: string; version: number; name: string }[] } };
    errors?: { message: string }[];
  };
  if (json.errors?.length || !json.data?.run)
    throw new Error(`${field}: run_${runId}: ${json.errors?.[0]?.message ?? `HTTP ${res.status}`}`);
  const models = json.data.run.artifacts.filter((a) => a.kind === 'model');
  const latest = models.at(-1);
  if (!latest)
    throw new Error(`${field}: run_${runId} has no model artifact (it has not finished, or was not tracked)`);
  return latest.id;
}
