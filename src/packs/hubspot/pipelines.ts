import { ActionError } from '../../core/errors.js';

/** A pipeline as HubSpot's pipelines API returns it (only what the pack reads). */
export interface PipelineRecord {
  id: string;
  label: string;
  stages: Array<{ id: string; label: string }>;
}

/** Labels and ids of the ticket pipelines and their stages. */
export interface PipelineIndex {
  /** The label of a pipeline id, or null when unknown. */
  pipelineLabel(id: string | null | undefined): string | null;
  /** The label of a stage id (stage ids are unique in a portal), or null when unknown. */
  stageLabel(id: string | null | undefined): string | null;
  /** Pipeline ids for a label or id (case and accents ignored); a 400 naming the known pipelines when none match. */
  pipelineIds(labelOrId: string): string[];
  /** Stage ids for a label or id, within `pipelineIds` when given; several when the label repeats across pipelines. */
  stageIds(labelOrId: string, pipelineIds?: readonly string[]): string[];
}

/** Folds case and accents so "cerrado", "Cerrado" and "CERRADO" match. */
export function fold(text: string): string {
  return text.normalize('NFD').replace(/[\u0300-\u036f]/g, '').trim().toLowerCase();
}

/** Indexes pipelines for label look-ups both ways. */
export function indexPipelines(pipelines: readonly PipelineRecord[]): PipelineIndex {
  const pipelineLabels = new Map(pipelines.map((p) => [p.id, p.label]));
  const stageLabels = new Map(pipelines.flatMap((p) => p.stages.map((s) => [s.id, s.label] as const)));
  const known = (values: Iterable<string>) => [...new Set(values)].join(', ');
  return {
    pipelineLabel: (id) => (id ? (pipelineLabels.get(id) ?? null) : null),
    stageLabel: (id) => (id ? (stageLabels.get(id) ?? null) : null),
    pipelineIds(labelOrId) {
      const wanted = fold(labelOrId);
      const ids = pipelines.filter((p) => p.id === labelOrId.trim() || fold(p.label) === wanted).map((p) => p.id);
      if (ids.length) return ids;
      throw new ActionError(400, `filters: pipeline "${labelOrId}" is not a ticket pipeline; use one of: ${known(pipelines.map((p) => p.label))}`, { code: 'UNKNOWN_PIPELINE' });
    },
    stageIds(labelOrId, pipelineIds) {
      const wanted = fold(labelOrId);
      const scope = pipelineIds ? pipelines.filter((p) => pipelineIds.includes(p.id)) : pipelines;
      const stages = scope.flatMap((p) => p.stages);
      const ids = stages.filter((s) => s.id === labelOrId.trim() || fold(s.label) === wanted).map((s) => s.id);
      if (ids.length) return ids;
      const where = pipelineIds ? `the pipeline ${known(scope.map((p) => `"${p.label}"`))}` : 'any ticket pipeline';
      throw new ActionError(400, `filters: stage "${labelOrId}" is not a stage of ${where}; use one of: ${known(stages.map((s) => s.label))}`, { code: 'UNKNOWN_STAGE' });
    },
  };
}
