import type { supervisionZhCN } from './supervision.zh-CN.ts'

/** English for 电子监察. */
export const supervisionEn: Record<keyof typeof supervisionZhCN, string> = {
  'work.menu.supervision': 'Supervision',
  'supervision.title': 'Supervision',
  'supervision.intro':
    'Time-limit warnings on open cases in your area (yellow: close to the deadline; red: overdue) and the average processing time per item.',
  'supervision.department': 'Department',
  'supervision.allDepartments': 'All departments',
  'supervision.cases': 'Time-limit warnings',
  'supervision.level': 'Warning',
  'supervision.level.all': 'All',
  'supervision.noCases': 'No open cases match.',
  'supervision.caseNo': 'Case number',
  'supervision.left': 'Time left',
  'supervision.deadline': 'Promised deadline',
  'supervision.warning': 'Note',
  'supervision.items': 'Average processing time',
  'supervision.noItems': 'No case has been completed yet.',
  'supervision.completed': 'Completed',
  'supervision.average': 'Average',
  'supervision.days': '{n} working days',
}
