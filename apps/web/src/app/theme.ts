import type { ThemeConfig } from 'antd'

/** 政务蓝: the primary colour of the standard look. */
const PRIMARY = '#1456b8'

/** The standard look of the platform. */
export const standardTheme: ThemeConfig = {
  token: {
    colorPrimary: PRIMARY,
    colorLink: PRIMARY,
    borderRadius: 4,
    fontSize: 14,
    // AntD's default secondary greys (45% black) fail WCAG AA contrast on the page background.
    colorTextDescription: '#595959',
    colorTextTertiary: '#595959',
    // AntD's error red (#ff4d4f, 3.9:1 on white) fails it too for field errors: 5.9:1
    colorError: '#cf1322',
    fontFamily:
      "-apple-system, BlinkMacSystemFont, 'PingFang SC', 'Hiragino Sans GB', 'Microsoft YaHei', 'Noto Sans CJK SC', 'Noto Sans SC', 'Source Han Sans SC', 'Helvetica Neue', Arial, sans-serif",
  },
}

/**
 * 长辈版: large type (20px base), high contrast (near-black text on white, darker primary with
 * contrast ≥ 7:1), bigger touch targets.
 */
export const elderlyTheme: ThemeConfig = {
  token: {
    ...standardTheme.token,
    colorPrimary: '#0b3a80',
    colorLink: '#0b3a80',
    colorText: '#000000',
    colorTextSecondary: '#1f1f1f',
    colorTextTertiary: '#262626',
    colorTextDescription: '#1f1f1f',
    colorTextPlaceholder: '#4d4d4d',
    colorBorder: '#595959',
    colorError: '#a8071a',
    fontSize: 20,
    fontSizeLG: 22,
    fontSizeSM: 18,
    fontSizeHeading1: 36,
    fontSizeHeading2: 30,
    fontSizeHeading3: 26,
    fontSizeHeading4: 24,
    fontSizeHeading5: 22,
    controlHeight: 48,
    controlHeightLG: 56,
    controlHeightSM: 36,
    lineHeight: 1.6,
  },
}
