/** RFC 4180 CSV: fields separated by commas, quoted with double quotes when they hold commas, quotes or newlines. */

/** Parses CSV text into records, each with the 1-based line number it starts on. */
export function parseCsv(input: string): { line: number; fields: string[] }[] {
  const text = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input
  const records: { line: number; fields: string[] }[] = []
  let fields: string[] = []
  let field = ''
  let quoted = false
  let line = 1
  let start = 1
  let i = 0
  const endRecord = () => {
    fields.push(field)
    if (!(fields.length === 1 && fields[0] === '')) records.push({ line: start, fields })
    fields = []
    field = ''
  }
  while (i < text.length) {
    const c = text[i]!
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"'
        i += 2
        continue
      }
      if (c === '"') quoted = false
      else {
        if (c === '\n') line += 1
        field += c
      }
      i += 1
      continue
    }
    if (c === '"' && field === '') quoted = true
    else if (c === ',') {
      fields.push(field)
      field = ''
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i += 1
      endRecord()
      line += 1
      start = line
    } else field += c
    i += 1
  }
  if (field !== '' || fields.length > 0) endRecord()
  return records
}

function quote(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value
}

/** Formats rows as CSV with a header line and CRLF line ends. */
export function formatCsv(header: string[], rows: string[][]): string {
  return `${[header, ...rows].map((row) => row.map(quote).join(',')).join('\r\n')}\r\n`
}
