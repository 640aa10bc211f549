/**
 * Import a component through the editorial API with the generated types: an editor creates
 * it and corrects it with a merge patch (If-Match: the ETag it was read with) and submits
 * it; reviewers who did not write it approve the content hash they saw, until the kind's
 * policy is met; one of them publishes it. Every call is checked against `schema.d.ts`,
 * generated from the live schema (`npm run generate`), so a change to the API that breaks
 * this flow fails `tsc --strict` in CI.
 */
import createClient from "openapi-fetch";

import type { components, paths } from "./schema.js";

export type Version = components["schemas"]["Version"];
export type Problem = components["schemas"]["EditorialProblem"];
export type ComponentContent = components["schemas"]["ComponentContent"];
export type NewItem = components["schemas"]["NewItem"];

/** A refusal of the API: the step it stopped at and the problem's `detail`. */
export class Refused extends Error {
  constructor(
    readonly step: string,
    readonly status: number,
    readonly problem: Problem | undefined,
  ) {
    super(`${step}: ${status} ${problem?.detail ?? "(no problem document)"}`);
  }
}

export type Editorial = ReturnType<typeof editorialClient>;

/** A client acting as the person whose personal access token this is. */
export function editorialClient(baseUrl: string, token: string) {
  return createClient<paths>({ baseUrl, headers: { Authorization: `Bearer ${token}` } });
}

/** The data of a successful answer, or `Refused` with the problem the API sent. */
function accepted<T>(
  step: string,
  answer: { data?: T; error?: Problem; response: Response },
): T {
  if (answer.data === undefined) {
    throw new Refused(step, answer.response.status, answer.error);
  }
  return answer.data;
}

const VERSION = "/api/manage/v1/items/{slug}/versions/{number}/" as const;
type VersionPath = typeof VERSION;

/**
 * The body an operation takes, by path, method and media type: annotating each body with it
 * makes an extra or a missing field an error (openapi-fetch infers its own argument's type,
 * so without the annotation an unknown field would pass).
 */
type Body<
  P extends keyof paths,
  M extends "post" | "patch",
  Media extends string = "application/json",
> = paths[P][M] extends { requestBody?: { content: infer C } }
  ? C extends Record<Media, infer B>
    ? B
    : never
  : never;

function at(version: Version) {
  return { slug: version.item, number: version.number };
}

function idempotencyKey() {
  return { "Idempotency-Key": crypto.randomUUID() };
}

export interface ImportOptions {
  editor: Editorial;
  /** Reviewers other than the editor: as many approve as the kind's policy requires. */
  reviewers: [Editorial, ...Editorial[]];
  item: NewItem;
  /** Corrections applied after creating, as a JSON merge patch of the content. */
  corrections?: Partial<ComponentContent>;
  log?: (line: string) => void;
}

/** Create, correct, submit, approve and publish one item; returns the published version. */
export async function importItem(options: ImportOptions): Promise<Version> {
  const { editor, reviewers, item } = options;
  const log = options.log ?? console.log;

  const creation: Body<"/api/manage/v1/items/", "post"> = item;
  const createdAnswer = await editor.POST("/api/manage/v1/items/", {
    params: { header: idempotencyKey() },
    body: creation,
  });
  let version = accepted("create", createdAnswer);
  const etag = createdAnswer.response.headers.get("ETag");
  log(`created ${version.item} v${version.number} (${version.state}, ETag ${etag})`);

  if (options.corrections !== undefined) {
    if (etag === null) throw new Error("create answered no ETag to edit the draft with");
    version = accepted(
      "patch",
      await editor.PATCH(VERSION, {
        params: { path: at(version), header: { "If-Match": etag } },
        headers: { "Content-Type": "application/merge-patch+json" },
        body: options.corrections satisfies Body<VersionPath, "patch", "application/merge-patch+json">,
      }),
    );
    log(`patched v${version.number}: edit ${version.edit_count}`);
  }

  const submission: Body<`${VersionPath}submit/`, "post"> = {};
  version = accepted(
    "submit",
    await editor.POST(`${VERSION}submit/`, {
      params: { path: at(version), header: idempotencyKey() },
      body: submission,
    }),
  );
  const seen = version.content_hash;
  if (seen === null) throw new Error("a submitted version has a content hash");
  log(`submitted v${version.number}: content hash ${seen}`);

  const approval: Body<`${VersionPath}approve/`, "post"> = {
    content_hash: seen,
    comment: "Checked against the sources.",
  };
  for (const reviewer of reviewers) {
    if (version.approvals.given >= version.approvals.required) break;
    version = accepted(
      "approve",
      await reviewer.POST(`${VERSION}approve/`, {
        params: { path: at(version), header: idempotencyKey() },
        body: approval,
      }),
    );
    log(`approved: ${version.approvals.given} of ${version.approvals.required}`);
  }
  if (version.approvals.given < version.approvals.required) {
    throw new Error(
      `${version.item} needs ${version.approvals.required} approvals; ` +
        `only ${reviewers.length} reviewer(s) were given`,
    );
  }

  const publication: Body<`${VersionPath}publish/`, "post"> = {};
  version = accepted(
    "publish",
    await reviewers[0].POST(`${VERSION}publish/`, {
      params: { path: at(version), header: idempotencyKey() },
      body: publication,
    }),
  );
  log(`published ${version.item} v${version.number} (${version.state})`);
  return version;
}

/** The flow with real values, as a script would call it (type-checked, not run by CI). */
export async function example(baseUrl: string, tokens: Record<"editor" | "reviewer", string>) {
  return importItem({
    editor: editorialClient(baseUrl, tokens.editor),
    reviewers: [editorialClient(baseUrl, tokens.reviewer)],
    item: {
      kind: "pranayama",
      slug: "four-seven-eight-breathing",
      content: {
        title: "4-7-8 breathing",
        summary: "Breathe in for 4, hold for 7, breathe out for 8: four slow rounds before sleep.",
        change_note: "First version.",
        evidence_level: "C",
        goals: ["sleep", "stress"],
        details: {
          breath_pattern: { inhale: 4, hold_in: 7, exhale: 8, hold_out: 0 },
          rounds: 4,
          duration_minutes: 2,
          level: "beginner",
        },
      },
    },
    corrections: { body: "Practise on an empty stomach: 2 hours after a snack." },
  });
}
