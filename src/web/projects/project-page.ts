import type { ProcoreProject } from '../../procore/types';
import type { ProjectSummary } from '../../projects/project-summary';
import type { LayoutView } from '../view-models/layout';
import { formatAge } from '../view-models/local-time';
import { localsOf } from '../view-models/locals';
import { projectDetails, savedProjectDetails, type ProjectDetails } from './project-details';

export interface ProjectView {
  layout: LayoutView;
  /** What the page prints of the project: each line only when Procore gave it (./project-details.ts). */
  project: ProjectDetails;
  backHref: string;
  /** The project in Procore's web app. */
  procoreHref: string;
  /** Shown from the saved list because Procore did not answer; `age` says how old it is. */
  stale: boolean;
  age: string | undefined;
}

export const PROJECT_LOCALS = localsOf<ProjectView>({
  layout: true,
  project: true,
  backHref: true,
  procoreHref: true,
  stale: true,
  age: true,
});

export function projectPage(
  layout: LayoutView,
  view: { project: ProcoreProject; backHref: string; procoreHref: string },
): ProjectView {
  return {
    layout,
    project: projectDetails(view.project),
    backHref: view.backHref,
    procoreHref: view.procoreHref,
    stale: false,
    age: undefined,
  };
}

export function staleProjectPage(
  layout: LayoutView,
  view: { project: ProjectSummary; fetchedAt: number; now: number; backHref: string; procoreHref: string },
): ProjectView {
  return {
    layout,
    project: savedProjectDetails(view.project),
    backHref: view.backHref,
    procoreHref: view.procoreHref,
    stale: true,
    age: formatAge(view.now - view.fetchedAt),
  };
}
