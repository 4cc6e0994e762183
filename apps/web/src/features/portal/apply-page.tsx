import type {
  DraftView,
  FormDocument,
  MeView,
  PrefillView,
  PublishedGuideView,
  SubmittedCase,
} from '@tongban/contracts'
import { Alert, Button, Form } from 'antd'
import { useEffect, useMemo, useRef, useState } from 'react'
import { Link, useNavigate, useParams, useSearchParams } from 'react-router'
import { apiFetch } from '../../api/client.ts'
import { endpoints } from '../../api/endpoints.ts'
import { useApiQuery } from '../../api/use-api-query.ts'
import { usePreferences, useT } from '../../app/preferences.tsx'
import { RequireLogin } from '../../auth/require-login.tsx'
import { DataState } from '../../components/data-state.tsx'
import { ProblemAlert } from '../../components/problem-alert.tsx'
import { placeApplicationProblem } from '../cases/application-problem.ts'
import {
  DeclarationField,
  MaterialList,
  TitledSection,
  useAttachedMaterials,
} from '../cases/application-sections.tsx'
import {
  formDataToSend,
  type PrefillSources,
  prefillSources,
  prefillValues,
  SUBMITTED_KEY,
} from '../cases/form-document.ts'
import { FormDocumentFields } from '../cases/form-fields.tsx'
import { useLicenseChoices } from '../cases/license-choice.ts'
import { type AttachedFile, attachedMaterials, materialRef } from '../cases/material-upload.tsx'

interface ApplyValues {
  formData: Record<string, unknown>
  declaration: boolean
}

function ApplyForm({
  guide,
  known,
  draft,
}: {
  guide: PublishedGuideView
  known: PrefillSources
  draft?: DraftView
}) {
  const t = useT()
  const { language } = usePreferences()
  const navigate = useNavigate()
  const [params, setParams] = useSearchParams()
  const [form] = Form.useForm<ApplyValues>()
  const document: FormDocument = guide.content.form
  const prefilled = useMemo(() => prefillValues(document, known), [document, known])
  const licenseChoice = useLicenseChoices(guide)
  const materials = useAttachedMaterials(attachedMaterials(draft?.materials))
  const [draftState, setDraftState] = useState(draft ? { id: draft.id, version: draft.version } : undefined)
  const [notice, setNotice] = useState<'saved' | 'resumed' | undefined>(draft ? 'resumed' : undefined)
  const [error, setError] = useState<unknown>()
  const [materialErrors, setMaterialErrors] = useState<Record<string, string>>({})
  const [busy, setBusy] = useState<'draft' | 'submit'>()
  // One key per application on this page: a retry after a lost answer is recognised, not filed twice.
  const idempotencyKey = useRef(crypto.randomUUID())

  const initialValues: ApplyValues = {
    formData: { ...prefilled, ...(draft?.formData ?? {}) },
    declaration: false,
  }

  function attachedList(): AttachedFile[] {
    return Object.values(materials.attached).map(materialRef)
  }

  function showProblem(problem: unknown) {
    const placed = placeApplicationProblem(form, problem, attachedList(), language)
    setMaterialErrors(placed.byMaterial)
    setError(placed.alert)
  }

  async function saveDraft() {
    setBusy('draft')
    setError(undefined)
    try {
      const body = {
        implementationId: guide.implementationId,
        guideVersion: guide.version,
        formData: formDataToSend(document, form.getFieldValue('formData') ?? {}),
        materials: attachedList(),
        ...(draftState ? { version: draftState.version } : {}),
      }
      const saved = draftState
        ? await apiFetch<DraftView>(endpoints.draft(draftState.id), { method: 'PUT', body })
        : await apiFetch<DraftView>(endpoints.drafts, { method: 'POST', body })
      setDraftState({ id: saved.id, version: saved.version })
      setNotice('saved')
      if (params.get('draft') !== saved.id) {
        const next = new URLSearchParams(params)
        next.set('draft', saved.id)
        setParams(next, { replace: true })
      }
    } catch (problem) {
      showProblem(problem)
    } finally {
      setBusy(undefined)
    }
  }

  async function submit(submitted: ApplyValues) {
    setBusy('submit')
    setError(undefined)
    setMaterialErrors({})
    try {
      const result = await apiFetch<SubmittedCase>(endpoints.cases, {
        method: 'POST',
        headers: { 'Idempotency-Key': idempotencyKey.current },
        body: {
          implementationId: guide.implementationId,
          guideVersion: guide.version,
          formData: formDataToSend(document, submitted.formData ?? {}),
          materials: attachedList(),
          declaration: submitted.declaration === true,
          ...(draftState ? { draftId: draftState.id } : {}),
        },
      })
      sessionStorage.setItem(
        SUBMITTED_KEY,
        JSON.stringify({ ...result, itemName: guide.name, implementationId: guide.implementationId }),
      )
      navigate('/apply/done', { replace: true })
    } catch (problem) {
      showProblem(problem)
    } finally {
      setBusy(undefined)
    }
  }

  return (
    <div className="container page apply-page">
      <h1 className="page-title">{t('apply.title', { name: guide.name })}</h1>
      <p className="page-intro">
        {guide.departmentName} · <Link to={`/items/${guide.implementationId}`}>{t('apply.backToGuide')}</Link>
      </p>
      {notice ? (
        <Alert
          type="success"
          showIcon
          closable={{ onClose: () => setNotice(undefined) }}
          title={notice === 'saved' ? t('apply.draftSaved') : t('apply.draftResumed')}
          className="apply-notice"
          role="status"
        />
      ) : null}
      <Form
        form={form}
        layout="vertical"
        initialValues={initialValues}
        onFinish={submit}
        onFinishFailed={() => setError(undefined)}
        scrollToFirstError
        requiredMark
      >
        <FormDocumentFields
          document={document}
          prefilled={prefilled}
          prefilledHint={t('apply.prefilledHint')}
        />

        <TitledSection id="s-materials" title={t('apply.materials')}>
          <MaterialList
            materials={guide.content.materials}
            attached={materials.attached}
            errors={materialErrors}
            license={licenseChoice}
            onChange={materials.change}
          />
        </TitledSection>
        <TitledSection id="s-declaration" title={t('apply.declaration')}>
          <DeclarationField text={t('apply.declarationText')} required={t('apply.declarationRequired')} />
        </TitledSection>

        <div className="page-feedback" aria-live="polite">
          <ProblemAlert error={error} />
        </div>
        <div className="form-actions apply-actions">
          <Button
            size="large"
            onClick={() => void saveDraft()}
            loading={busy === 'draft'}
            disabled={busy === 'submit'}
          >
            {t('apply.saveDraft')}
          </Button>
          <Button
            type="primary"
            size="large"
            htmlType="submit"
            loading={busy === 'submit'}
            disabled={busy === 'draft'}
          >
            {t('apply.submit')}
          </Button>
        </div>
      </Form>
    </div>
  )
}

function ApplyLoader() {
  const { implementationId = '' } = useParams()
  const [params] = useSearchParams()
  const draftId = params.get('draft')
  // The draft id is read once: saving a new draft must not reload the page from the server.
  const [initialDraft] = useState(draftId)
  const guide = useApiQuery<PublishedGuideView>(endpoints.guide(implementationId))
  const prefill = useApiQuery<PrefillView>(endpoints.mePrefill)
  // the account view stands in only when the owner's prefill answer cannot be had
  const me = useApiQuery<MeView>(prefill.error !== undefined ? endpoints.me : null)
  const draft = useApiQuery<DraftView>(initialDraft ? endpoints.draft(initialDraft) : null)
  const known = useMemo(
    () => (prefill.data || me.data ? prefillSources(prefill.data, me.data) : undefined),
    [prefill.data, me.data],
  )
  const settled =
    !guide.loading &&
    !draft.loading &&
    !prefill.loading &&
    (prefill.error === undefined || (!me.loading && (me.data !== undefined || me.error !== undefined)))
  const [ready, setReady] = useState(false)
  useEffect(() => {
    if (settled) setReady(true)
  }, [settled])
  const combined = {
    data: guide.data && known ? { guide: guide.data, known, draft: draft.data } : undefined,
    error: guide.error ?? draft.error ?? (prefill.error !== undefined ? me.error : undefined),
    loading: !ready,
    reload: () => {
      guide.reload()
      prefill.reload()
      draft.reload()
    },
  }
  return (
    <DataState query={combined}>
      {(data) => (
        <ApplyForm guide={data.guide} known={data.known} {...(data.draft ? { draft: data.draft } : {})} />
      )}
    </DataState>
  )
}

/** /items/:implementationId/apply: the application form rendered from the item's form document. */
export default function ApplyPage() {
  return (
    <RequireLogin>
      <ApplyLoader />
    </RequireLogin>
  )
}
