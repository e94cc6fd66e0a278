export { createActivityLog, DEFAULT_ACTIVITY_RETENTION_MS, type ActivityInput, type ActivityLog } from './activity';
export { appendAudit, auditTrail } from './audit';
export { deleteAllData, type DeleteAllOptions } from './delete-all';
export { exportUserData, type ExportOptions, type UserDataExport } from './export';
export { copiesOfPage, forgetRequests, type AlsoForget, type ForgetResult } from './forget';
export type { ActivityRecord, AuditAction, AuditRecord } from './records';
