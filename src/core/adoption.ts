/**
 * Adopting an Auth0 stream that already exists: the annotation names it, and the module imports it on its first
 * apply instead of creating a second one (which Auth0 would refuse: stream names are unique per tenant). Once
 * the observed Workspace reports the stream, Terraform has it in its state and the import block is dropped;
 * where no one observes the Workspace (kpt, kustomize) it stays, and Terraform ignores it after the import.
 */
import { quote, report } from './findings.js';
import { isRecord } from './records.js';
import { RULES } from './rules.js';
import type { Finding, StreamOutputs } from './types.js';

/** Names the Auth0 stream a resource takes over instead of creating a new one (`est_` + 22 letters and digits). */
export const ADOPT_ANNOTATION = 'auth0.openmcf.org/adopt-stream-id';

/** An Auth0 event stream id, as Auth0 makes them. */
export const STREAM_ID_PATTERN = /^est_[A-Za-z0-9]{22}$/;

export interface Adoption {
  /** The Auth0 stream taken over. */
  readonly id: string;
  /** Whether the observed Workspace reports it: then Terraform holds it in its state and needs no import block. */
  readonly imported: boolean;
}

/**
 * The adoption an item asks for, with what it means now: an info saying the stream is imported or adopted, or
 * an error when the stream's known id (`status.outputs.id`, the Workspace outputs) is another stream.
 *
 * @param observedId the stream id the observed Workspace reports, when one is observed
 */
export function readAdoption(metadata: Readonly<Record<string, unknown>>, outputs: StreamOutputs, observedId: string | undefined, findings: Finding[]): Adoption | undefined {
  const annotations = isRecord(metadata['annotations']) ? metadata['annotations'] : {};
  const id = annotations[ADOPT_ANNOTATION];
  if (typeof id !== 'string' || !STREAM_ID_PATTERN.test(id)) return undefined; // the schema reports a malformed id
  const path = `metadata.annotations["${ADOPT_ANNOTATION}"]`;
  if (outputs.id !== undefined && outputs.id !== id) {
    findings.push(
      report(
        RULES['adopt-stream-id-mismatch'],
        `${path} names Auth0 stream ${id}, but this resource's stream is ${quote(outputs.id)} (status.outputs.id, or the Workspace outputs). ` +
          `A Workspace manages one stream: set the annotation to ${quote(outputs.id)} or remove it; to take over ${id}, give it an Auth0EventStream of its own.`,
        { path, currentValue: id, proposedValue: outputs.id },
      ),
    );
    return undefined;
  }
  const imported = observedId === id;
  findings.push(
    imported
      ? report(RULES['stream-adopted'], `Auth0 event stream ${id} is adopted: the Workspace reports it, so its module no longer carries the import block.`, { path })
      : report(
          RULES['adopting-stream'],
          `The Workspace imports Auth0 event stream ${id} on its first apply instead of creating a new one (a Terraform import block); Terraform ignores the block once the stream is in its state.`,
          { path },
        ),
  );
  return { id, imported };
}
