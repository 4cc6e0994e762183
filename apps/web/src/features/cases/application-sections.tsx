import type { PublishedGuideView } from '@tongban/contracts'
import { Checkbox, Form } from 'antd'
import type { ReactNode } from 'react'
import { useState } from 'react'
import { type AttachedFile, type LicenseChoice, MaterialUpload } from './material-upload.tsx'

type Material = PublishedGuideView['content']['materials'][number]

/** The materials attached to an application so far, by material key, and how to change one. */
export function useAttachedMaterials(initial: AttachedFile[] = []) {
  const [attached, setAttached] = useState<Record<string, AttachedFile>>(() =>
    Object.fromEntries(initial.map((m) => [m.key, m])),
  )
  function change(key: string, file: AttachedFile | undefined) {
    setAttached((current) => {
      const next = { ...current }
      if (file) next[key] = file
      else delete next[key]
      return next
    })
  }
  return { attached, change, reset: () => setAttached({}) }
}

/** A titled section of a case or application page (申请材料, 承诺, 办理过程 …). */
export function TitledSection({ id, title, children }: { id: string; title: string; children: ReactNode }) {
  return (
    <section className="portal-section" aria-labelledby={id}>
      <h2 id={id} className="section-title">
        {title}
      </h2>
      {children}
    </section>
  )
}

/** The list of a guide's materials, each with its upload (and e-license choice, or scan at the window). */
export function MaterialList({
  materials,
  attached,
  errors,
  license,
  scan = false,
  onChange,
}: {
  materials: Material[]
  attached: Record<string, AttachedFile>
  errors: Record<string, string>
  license?: ((material: Material) => LicenseChoice | undefined) | undefined
  scan?: boolean
  onChange: (key: string, file: AttachedFile | undefined) => void
}) {
  return (
    <ul className="material-list">
      {materials.map((material) => (
        <MaterialUpload
          key={material.key}
          material={material}
          attached={attached[material.key]}
          error={errors[material.key]}
          license={license?.(material)}
          scan={scan}
          onChange={(file) => onChange(material.key, file)}
        />
      ))}
    </ul>
  )
}

/** The signed declaration (承诺) an application needs: a checkbox that must be ticked. */
export function DeclarationField({ text, required }: { text: string; required: string }) {
  return (
    <Form.Item
      name="declaration"
      valuePropName="checked"
      rules={[
        {
          validator: (_, value) => (value ? Promise.resolve() : Promise.reject(new Error(required))),
        },
      ]}
    >
      <Checkbox>{text}</Checkbox>
    </Form.Item>
  )
}
