// Temporal determinism of the delivery workflow: histories recorded by real
// runs replay against today's workflow code without a nondeterminism error.
//
// - `*-before-voice.json`: an urgent alert to two residents by SMS (one
//   undelivered, falling back to email), run by the workflow code as it was
//   before voice calls (commit 6fe7c28): what a deploy finds in flight.
// - `*-voice.json`: the same with a landline resident, run by the code with
//   voice calls; its voice batch holds the `voice-channel` patch marker.
//
// Recorded on the test run's Temporal dev server with
// `temporal workflow show --output json`; a change to the workflow code that
// breaks old histories must come behind a new `patched()` and its own fixture.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Worker } from '@temporalio/worker';
import { testEnv } from '../testing/index.js';

const dir = path.join(import.meta.dirname, 'testing/histories');
const json = (name: string) =>
  JSON.parse(readFileSync(path.join(dir, name), 'utf8')) as { events: unknown[] };

// The SDK's own historyFromJSON fails here ("type must be a Type"): npm keeps
// three copies of protobufjs 8 (common's, proto's, worker's) beside the root's
// 7, and common's protojson does not recognise proto's types. The same
// conversion with the copy that built those types works.
const fromProto = createRequire(createRequire(import.meta.url).resolve('@temporalio/proto'));
const { fromJson } = fromProto('protobufjs/ext/protojson') as {
  fromJson(type: unknown, json: unknown, o: { ignoreUnknownFields: boolean }): unknown;
};
const { patchProtobufRoot } = fromProto('@temporalio/proto/lib/patch-protobuf-root') as {
  patchProtobufRoot(root: unknown): { lookupType(name: string): unknown };
};
const historyType = patchProtobufRoot(fromProto('@temporalio/proto')).lookupType(
  'temporal.api.history.v1.History',
);
const load = (name: string) => fromJson(historyType, json(name), { ignoreUnknownFields: true });

/** The parent's workflow id, as its children's histories record it. */
function parentId(batchFile: string): string {
  const first = json(batchFile).events[0] as {
    workflowExecutionStartedEventAttributes: { parentWorkflowExecution: { workflowId: string } };
  };
  return first.workflowExecutionStartedEventAttributes.parentWorkflowExecution.workflowId;
}

describe('alert delivery histories replay on the current workflow code', () => {
  for (const run of ['before-voice', 'voice']) {
    it(`${run}: the alert's workflow and each of its batches`, async () => {
      const bundle = { codePath: testEnv().bundlePath };
      const id = parentId(`alert-delivery-batch-0-${run}.json`);
      await expect(
        Worker.runReplayHistory({ workflowBundle: bundle }, load(`alert-delivery-${run}.json`), id),
      ).resolves.toBeUndefined();
      for (const b of [0, 1])
        await expect(
          Worker.runReplayHistory(
            { workflowBundle: bundle },
            load(`alert-delivery-batch-${b}-${run}.json`),
            `${id}/batch/${b}`,
          ),
        ).resolves.toBeUndefined();
    }, 60_000);
  }
});
