/**
 * What the project page shows of a project, ready to print: every line is there only when Procore
 * gave something for it, so the page never says "null", "undefined", "NaN" or "Invalid Date".
 * The number and the stage appear once each (in the heading), not again in the list below.
 */
import { projectStageName } from '../../procore/shape';
import type { ProcoreNamedRef, ProcoreProject } from '../../procore/types';
import type { ProjectSummary } from '../../projects/project-summary';

export interface DetailLine {
  label: string;
  text: string;
  /** A link for the text (map, phone). */
  href?: string;
  /** The text is a date: the machine-readable form for <time>. */
  datetime?: string;
  /** A link shown after the text (the address's map). */
  link?: { text: string; href: string };
}

export interface ProjectDetails {
  name: string;
  /** "Project 2024-001", or "Project" when Procore has no number. */
  eyebrow: string;
  status: 'Active' | 'Inactive';
  stage: string | undefined;
  /** The logo Procore has for the project (https, or an inline image). */
  logoSrc: string | undefined;
  lines: DetailLine[];
  /** Saved-list copies know only a few fields; the page says so. */
  partial: boolean;
}

/** A non-blank string, trimmed; else undefined. */
function filled(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

function refName(ref: ProcoreNamedRef | null | undefined): string | undefined {
  return filled(ref?.name);
}

const LONG_DATE = new Intl.DateTimeFormat('en-US', { year: 'numeric', month: 'long', day: 'numeric', timeZone: 'UTC' });
/** No currency symbol: Procore's project schema names no currency, so none is assumed. */
const AMOUNT = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

/** `YYYY-MM-DD` (a calendar date, no zone) or an ISO timestamp, as "May 15, 2015"; undefined when unreadable. */
export function formatDate(value: unknown): { text: string; datetime: string } | undefined {
  const raw = filled(value);
  if (raw === undefined) return undefined;
  const dateOnly = /^(\d{4})-(\d{2})-(\d{2})$/.exec(raw);
  const ms = dateOnly ? Date.UTC(Number(dateOnly[1]), Number(dateOnly[2]) - 1, Number(dateOnly[3])) : Date.parse(raw);
  if (!Number.isFinite(ms)) return undefined;
  // Date.UTC rolls 2024-02-30 over to March 1: such a date is not one Procore meant.
  if (dateOnly && new Date(ms).toISOString().slice(0, 10) !== raw) return undefined;
  return { text: LONG_DATE.format(ms), datetime: raw };
}

export function formatAmount(value: unknown): string | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? AMOUNT.format(value) : undefined;
}

/** OpenStreetMap centred on the project, when Procore has real coordinates (0,0 is "not set"). */
export function mapHref(latitude: unknown, longitude: unknown): string | undefined {
  if (
    typeof latitude !== 'number' ||
    typeof longitude !== 'number' ||
    !Number.isFinite(latitude) ||
    !Number.isFinite(longitude)
  )
    return undefined;
  if (Math.abs(latitude) > 90 || Math.abs(longitude) > 180 || (latitude === 0 && longitude === 0)) return undefined;
  return `https://www.openstreetmap.org/?mlat=${latitude}&mlon=${longitude}#map=16/${latitude}/${longitude}`;
}

/** Only https URLs (the CSP allows them) and inline raster or SVG images; anything else is dropped. */
export function logoSrc(value: unknown): string | undefined {
  const raw = filled(value);
  if (raw === undefined) return undefined;
  if (/^data:image\/(png|jpeg|gif|webp|svg\+xml)[;,]/i.test(raw)) return raw;
  try {
    return new URL(raw).protocol === 'https:' ? raw : undefined;
  } catch {
    return undefined;
  }
}

function addressText(
  project: Pick<ProcoreProject, 'address' | 'city' | 'state_code' | 'zip' | 'country_code'>,
): string | undefined {
  const region = [filled(project.state_code), filled(project.zip)].filter(Boolean).join(' ');
  const parts = [
    filled(project.address),
    filled(project.city),
    region || undefined,
    filled(project.country_code),
  ].filter((part): part is string => part !== undefined);
  return parts.length > 0 ? parts.join(', ') : undefined;
}

function telHref(phone: string): string | undefined {
  const digits = phone.replace(/[^0-9+]/g, '');
  return digits.replace(/\D/g, '').length >= 3 ? `tel:${digits}` : undefined;
}

type Line = DetailLine | undefined;

const textLine = (label: string, text: string | undefined): Line => (text === undefined ? undefined : { label, text });
const dateLine = (label: string, value: unknown): Line => {
  const date = formatDate(value);
  return date && { label, text: date.text, datetime: date.datetime };
};

function heading(name: string, number: unknown, stage: string | undefined, active: boolean | null | undefined) {
  const projectNumber = filled(number);
  return {
    name,
    eyebrow: projectNumber ? `Project ${projectNumber}` : 'Project',
    stage,
    status: active === false ? ('Inactive' as const) : ('Active' as const),
  };
}

export function projectDetails(project: ProcoreProject): ProjectDetails {
  const address = addressText(project);
  const map = mapHref(project.latitude, project.longitude);
  const phone = filled(project.phone);
  const onMap = map === undefined ? {} : { link: { text: 'Map (OpenStreetMap)', href: map } };
  const lines: Line[] = [
    address !== undefined
      ? { label: 'Address', text: address, ...onMap }
      : map !== undefined
        ? { label: 'Location', text: `${project.latitude}, ${project.longitude}`, ...onMap }
        : undefined,
    textLine('County', filled(project.county)),
    dateLine('Start date', project.start_date),
    dateLine('Completion date', project.completion_date),
    textLine('Total value', formatAmount(project.total_value)),
    textLine('Office', refName(project.office)),
    textLine('Project type', refName(project.project_type)),
    phone === undefined
      ? undefined
      : { label: 'Phone', text: phone, ...(telHref(phone) ? { href: telHref(phone) } : {}) },
    textLine('Company', refName(project.company)),
    { label: 'Procore id', text: String(project.id) },
    dateLine('Created', project.created_at),
    dateLine('Last updated', project.updated_at),
  ];
  return {
    ...heading(project.name, project.project_number, projectStageName(project), project.active),
    logoSrc: logoSrc(project.logo_url),
    lines: lines.filter((line): line is DetailLine => line !== undefined),
    partial: false,
  };
}

/** From the saved list when Procore is not answering: name, number, stage, status and address. */
export function savedProjectDetails(project: ProjectSummary): ProjectDetails {
  const address = addressText({ address: project.address, city: project.city, state_code: project.stateCode });
  return {
    ...heading(project.name, project.number, project.stage, project.active),
    logoSrc: undefined,
    lines: [textLine('Address', address), { label: 'Procore id', text: String(project.id) }].filter(
      (line): line is DetailLine => line !== undefined,
    ),
    partial: true,
  };
}
