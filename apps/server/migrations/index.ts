import type { Migration } from 'kysely'
import * as createPlatformTables from './20261122T2200_create-platform-tables.ts'
import * as createOrgTables from './20261122T2230_create-org-tables.ts'
import * as createIdentityTables from './20261122T2300_create-identity-tables.ts'
import * as createSsoTables from './20261122T2340_create-sso-tables.ts'
import * as createCatalogTables from './20261123T0000_create-catalog-tables.ts'
import * as createCasesTables from './20261123T0100_create-cases-tables.ts'
import * as createLicensesTables from './20261123T0200_create-licenses-tables.ts'
import * as forbidAuditTruncate from './20261123T0300_forbid-audit-truncate.ts'
import * as sealAuditEntries from './20261124T0000_seal-audit-entries.ts'
import * as addCaseSearchAndUploadOwners from './20261124T0200_add-case-search-and-upload-owners.ts'
import * as createCaseNotifications from './20261124T0210_create-case-notifications.ts'
import * as addAccountStatusAndContactChanges from './20261124T0300_add-account-status-and-contact-changes.ts'
import * as splitCatalogSearchDocuments from './20261124T0400_split-catalog-search-documents.ts'
import * as addBundleDraftsAndVersions from './20261124T0410_add-bundle-drafts-and-versions.ts'
import * as indexCatalogSearchByTextPopularity from './20261124T0420_index-catalog-search-by-text-popularity.ts'
import * as encryptCaseFormData from './20261124T0500_encrypt-case-form-data.ts'
import * as addCaseWriteGuard from './20261124T0510_add-case-write-guard.ts'
import * as allowCounterCompanyWithoutRepresentative from './20261204T1800_allow-counter-company-without-representative.ts'
import * as keepCaseMovesOffTheIndexes from './20261205T0000_keep-case-moves-off-the-indexes.ts'
import * as keepCaseCompletionInIssueRequests from './20261207T0000_keep-case-completion-in-issue-requests.ts'
import * as protectAuditChain from './20261207T1200_protect-audit-chain.ts'
import * as recordLicenseIssueFailures from './20261207T1700_record-license-issue-failures.ts'

/** Every migration in order. Names sort by time; never rename or edit one that has shipped. */
export const migrations: Record<string, Migration> = {
  '20261122T2200_create-platform-tables': createPlatformTables,
  '20261122T2230_create-org-tables': createOrgTables,
  '20261122T2300_create-identity-tables': createIdentityTables,
  '20261122T2340_create-sso-tables': createSsoTables,
  '20261123T0000_create-catalog-tables': createCatalogTables,
  '20261123T0100_create-cases-tables': createCasesTables,
  '20261123T0200_create-licenses-tables': createLicensesTables,
  '20261123T0300_forbid-audit-truncate': forbidAuditTruncate,
  '20261124T0000_seal-audit-entries': sealAuditEntries,
  '20261124T0200_add-case-search-and-upload-owners': addCaseSearchAndUploadOwners,
  '20261124T0210_create-case-notifications': createCaseNotifications,
  '20261124T0300_add-account-status-and-contact-changes': addAccountStatusAndContactChanges,
  '20261124T0400_split-catalog-search-documents': splitCatalogSearchDocuments,
  '20261124T0410_add-bundle-drafts-and-versions': addBundleDraftsAndVersions,
  '20261124T0420_index-catalog-search-by-text-popularity': indexCatalogSearchByTextPopularity,
  '20261124T0500_encrypt-case-form-data': encryptCaseFormData,
  '20261124T0510_add-case-write-guard': addCaseWriteGuard,
  '20261204T1800_allow-counter-company-without-representative': allowCounterCompanyWithoutRepresentative,
  '20261205T0000_keep-case-moves-off-the-indexes': keepCaseMovesOffTheIndexes,
  '20261207T0000_keep-case-completion-in-issue-requests': keepCaseCompletionInIssueRequests,
  '20261207T1200_protect-audit-chain': protectAuditChain,
  '20261207T1700_record-license-issue-failures': recordLicenseIssueFailures,
}
