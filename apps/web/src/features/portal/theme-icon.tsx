import {
  AccountBookOutlined,
  BankOutlined,
  BookOutlined,
  BuildOutlined,
  CoffeeOutlined,
  HeartOutlined,
  HomeOutlined,
  MedicineBoxOutlined,
  SafetyCertificateOutlined,
  ShopOutlined,
  SmileOutlined,
  SolutionOutlined,
} from '@ant-design/icons'
import type { ReactNode } from 'react'

const icons: Record<string, ReactNode> = {
  birth: <SmileOutlined />,
  schooling: <BookOutlined />,
  employment: <SolutionOutlined />,
  marriage: <HeartOutlined />,
  housing: <HomeOutlined />,
  medical: <MedicineBoxOutlined />,
  social_insurance: <SafetyCertificateOutlined />,
  retirement: <CoffeeOutlined />,
  business_startup: <ShopOutlined />,
  construction: <BuildOutlined />,
  business_operation: <AccountBookOutlined />,
  environment: <BankOutlined />,
}

/** The icon of a theme tile. */
export function ThemeIcon({ code }: { code: string }) {
  return <span className="theme-icon">{icons[code] ?? <BankOutlined />}</span>
}
