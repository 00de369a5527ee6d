/**
 * Which fields a project carries on the wire, by the company's shape and the endpoint. Field lists
 * follow Procore's published reference as the SDKs generated from it carry it (procore_sdk docs
 * Project1.md for the v1.0 list, Project3.md for Show project) and, for the older shape, the v1.0
 * list example of Procore's client-credentials guide. test/procore-reference/procore-shapes.test.ts checks
 * these against the fixtures in test/fixtures/procore/.
 */
import type { ProjectShape } from './contracts';
import type { EmulatorProject } from './data';

/** The older v1.0 list item and single project: a `stage` string, nothing newer. */
const V1_STRING_STAGE_FIELDS = [
  'id',
  'name',
  'display_name',
  'project_number',
  'address',
  'city',
  'state_code',
  'country_code',
  'zip',
  'county',
  'latitude',
  'longitude',
  'stage',
  'phone',
  'created_at',
  'updated_at',
  'active',
  'origin_id',
  'origin_data',
  'company',
] as const;

/** "List projects" (GET /rest/v1.0/projects): Project1. */
const PUBLISHED_LIST_FIELDS = [
  'id',
  'name',
  'is_demo',
  'parent_job_id',
  'display_name',
  'project_number',
  'address',
  'city',
  'state_code',
  'country_code',
  'zip',
  'county',
  'time_zone',
  'latitude',
  'longitude',
  'stage',
  'project_stage',
  'project_template',
  'phone',
  'created_at',
  'updated_at',
  'active',
  'origin_id',
  'origin_data',
  'origin_code',
  'owners_project_id',
  'total_value',
  'store_number',
  'accounting_project_number',
  'designated_market_area',
  'project_region_id',
  'project_bid_type_id',
  'project_owner_type_id',
  'photo_id',
  'start_date',
  'completion_date',
  'estimated_value',
  'fax',
  'company',
  'custom_fields',
] as const;

/** "Show project" (GET /rest/v1.0/projects/{id}): Project3. It has no `stage` string. */
const PUBLISHED_SHOW_FIELDS = [
  'id',
  'logo_url',
  'name',
  'is_demo',
  'template',
  'display_name',
  'project_number',
  'address',
  'city',
  'state_code',
  'country_code',
  'zip',
  'time_zone',
  'tz_name',
  'latitude',
  'longitude',
  'county',
  'parent_job_id',
  'description',
  'square_feet',
  'start_date',
  'completion_date',
  'total_value',
  'store_number',
  'accounting_project_number',
  'designated_market_area',
  'warranty_start_date',
  'warranty_end_date',
  'active',
  'flag',
  'phone',
  'public_notes',
  'actual_start_date',
  'projected_finish_date',
  'created_at',
  'updated_at',
  'origin_id',
  'origin_data',
  'origin_code',
  'standard_cost_code_list_id',
  'is_erp_integrated',
  'owners_project_id',
  'photo_id',
  'inbound_email',
  'inbound_email_address',
  'estimated_start_date',
  'estimated_completion_date',
  'estimated_value',
  'code',
  'persistent_message',
  'office',
  'project_bid_type_id',
  'project_bid_type',
  'project_owner_type_id',
  'project_owner_type',
  'project_region_id',
  'project_region',
  'project_stage_id',
  'project_stage',
  'project_type',
  'program',
  'departments',
  'company',
  'dictionary_type',
  'custom_fields',
] as const;

/** `serializer_view=compact`: "only returns id, name and display_name" (List projects, v1.0). */
const COMPACT_FIELDS = ['id', 'name', 'display_name'] as const;

export type ProjectView = 'list' | 'show' | 'compact';

function fieldsFor(shape: ProjectShape, view: ProjectView): readonly string[] {
  if (view === 'compact') return COMPACT_FIELDS;
  if (shape === 'v1-string-stage') return V1_STRING_STAGE_FIELDS;
  return view === 'list' ? PUBLISHED_LIST_FIELDS : PUBLISHED_SHOW_FIELDS;
}

export function serializeProject(
  project: EmulatorProject,
  shape: ProjectShape,
  view: ProjectView,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const field of fieldsFor(shape, view)) out[field] = project[field] ?? null;
  // The published list keeps the legacy `stage` key but leaves it empty: the stage is in project_stage.
  if (shape === 'published' && view === 'list') out.stage = null;
  return out;
}
