// batch/v1 printers: jobs (with the Status column added in v1.30) and cronjobs (with Timezone).
import { CONTAINERS_DOC, IMAGES_DOC, type Printer, ageColumn, column, nameColumn, wide } from './types.ts'
import { formatLabelSelector, layoutContainerCells, printBoolPtr, templateContainers } from './format.ts'
import { humanDuration, parseTime, translateAge } from './time.ts'

const name = (obj: any): string => obj.metadata?.name ?? ''
const age = (obj: any, now: number): string => translateAge(obj.metadata?.creationTimestamp, now)

/** hasJobCondition: the FIRST condition of that type decides. */
function hasCondition (job: any, type: string): boolean {
  const condition = (job.status?.conditions ?? []).find((c: any) => c.type === type)
  return condition?.status === 'True'
}

/** Complete, Failed, Terminating, Suspended, FailureTarget, else Running — in that precedence. */
export function jobStatus (job: any): string {
  if (hasCondition(job, 'Complete')) return 'Complete'
  if (hasCondition(job, 'Failed')) return 'Failed'
  if (job.metadata?.deletionTimestamp !== undefined && job.metadata?.deletionTimestamp !== null) return 'Terminating'
  if (hasCondition(job, 'Suspended')) return 'Suspended'
  if (hasCondition(job, 'FailureTarget')) return 'FailureTarget'
  return 'Running'
}

/**
 * `succeeded/completions`; without completions `s/1`, or `s/1 of P` when parallelism > 1.
 * v1 defaulting sets both completions and parallelism to 1 when both are unset.
 */
function completions (job: any): string {
  const spec = job.spec ?? {}
  const succeeded = job.status?.succeeded ?? 0
  let completionsSpec = spec.completions
  let parallelism = spec.parallelism
  if (completionsSpec == null && parallelism == null) { completionsSpec = 1; parallelism = 1 }
  if (completionsSpec != null) return `${succeeded}/${completionsSpec}`
  if ((parallelism ?? 1) > 1) return `${succeeded}/1 of ${parallelism}`
  return `${succeeded}/1`
}

/** Empty before start; running time so far; completion − start once complete. */
function duration (job: any, now: number): string {
  const start = parseTime(job.status?.startTime)
  if (start === undefined || Number.isNaN(start)) return ''
  const completion = parseTime(job.status?.completionTime)
  if (completion === undefined || Number.isNaN(completion)) return humanDuration(now - start)
  return humanDuration(completion - start)
}

export const jobPrinter: Printer = {
  columns: [
    nameColumn,
    column('Status', 'Status of the job.'),
    column('Completions', 'The number of pods which reached phase Succeeded.'),
    column('Duration', 'Time required to complete the job.'),
    ageColumn,
    wide('Containers', CONTAINERS_DOC),
    wide('Images', IMAGES_DOC),
    wide('Selector', 'A label query over pods that should match the pod count.')
  ],
  row: (obj, now) => [
    name(obj), jobStatus(obj), completions(obj), duration(obj, now), age(obj, now),
    ...layoutContainerCells(templateContainers(obj.spec?.template)), formatLabelSelector(obj.spec?.selector)
  ]
}

export const cronJobPrinter: Printer = {
  columns: [
    nameColumn,
    column('Schedule', 'The schedule in Cron format, see https://en.wikipedia.org/wiki/Cron.'),
    column('Timezone', 'The time zone name for the given schedule, see https://en.wikipedia.org/wiki/List_of_tz_database_time_zones.'),
    column('Suspend', 'This flag tells the controller to suspend subsequent executions, it does not apply to already started executions.', { type: 'boolean' }),
    column('Active', 'A list of pointers to currently running jobs.', { type: 'integer' }),
    column('Last Schedule', 'Information when was the last time the job was successfully scheduled.'),
    ageColumn,
    wide('Containers', CONTAINERS_DOC),
    wide('Images', IMAGES_DOC),
    wide('Selector', 'A label query over pods that should match the pod count.')
  ],
  row: (obj, now) => {
    const spec = obj.spec ?? {}
    const last = obj.status?.lastScheduleTime
    const jobSpec = spec.jobTemplate?.spec ?? {}
    return [
      name(obj), spec.schedule ?? '', spec.timeZone ?? '<none>', printBoolPtr(spec.suspend ?? false),
      (obj.status?.active ?? []).length, last == null ? '<none>' : translateAge(last, now), age(obj, now),
      ...layoutContainerCells(templateContainers(jobSpec.template)), formatLabelSelector(jobSpec.selector)
    ]
  }
}
