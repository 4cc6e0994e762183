/** The pages' stylesheet, served at /oidc/assets/tongban.css (CSP: no inline styles needed). */
export const STYLESHEET = `
*,*::before,*::after{box-sizing:border-box}
html{font-size:16px;-webkit-text-size-adjust:100%}
html.large{font-size:21px}
body{margin:0;font-family:"PingFang SC","Microsoft YaHei","Noto Sans CJK SC","Source Han Sans SC",system-ui,sans-serif;line-height:1.6;color:#1f1f1f;background:#f0f2f5}
.skip{position:absolute;left:-999px;top:0;background:#fff;padding:.5rem 1rem;z-index:10}
.skip:focus{left:.5rem}
.banner{background:linear-gradient(90deg,#a8071a,#c8102e);color:#fff;border-bottom:4px solid #d4a017}
.banner-inner{max-width:60rem;margin:0 auto;padding:.75rem 1rem;display:flex;align-items:center;gap:.75rem;flex-wrap:wrap}
.emblem{display:inline-flex;align-items:center;justify-content:center;width:2.25rem;height:2.25rem;border-radius:50%;background:#d4a017;color:#a8071a;font-weight:700;font-size:1.25rem}
.site-name{font-size:1.25rem;font-weight:600;letter-spacing:.05em}
.switches{margin-left:auto;display:flex;gap:1rem}
.switches a{color:#fff;text-decoration:underline;padding:.25rem}
.card{max-width:30rem;margin:2rem auto;background:#fff;border-radius:6px;box-shadow:0 1px 4px rgba(0,0,0,.12);padding:1.5rem 1.75rem 2rem}
html.large .card{max-width:38rem}
h1{font-size:1.5rem;margin:0 0 1rem;color:#a8071a;border-left:4px solid #c8102e;padding-left:.6rem}
label,.label{display:block;font-weight:600;margin:1rem 0 .35rem}
input[type=text],input[type=password]{width:100%;font-size:1rem;padding:.65rem .75rem;border:1px solid #8c8c8c;border-radius:4px}
input:focus,button:focus,a:focus{outline:3px solid #1677ff;outline-offset:2px}
.hint,.muted{color:#595959;font-size:.9rem;margin:.3rem 0 0}
button,.button{display:inline-block;font-size:1rem;padding:.65rem 1.25rem;border-radius:4px;border:1px solid #8c8c8c;background:#fff;color:#1f1f1f;cursor:pointer;text-decoration:none;min-height:2.75rem}
button.primary,.button.primary{background:#c8102e;border-color:#c8102e;color:#fff;font-weight:600}
form>button.primary{width:100%;margin-top:1.5rem}
.buttons{display:flex;gap:.75rem;flex-wrap:wrap;margin-top:1.25rem}
.buttons button{flex:1}
.alert{background:#fff1f0;border:1px solid #ffa39e;color:#820014;padding:.65rem .85rem;border-radius:4px}
.secondary{margin-top:1.25rem;text-align:center}
fieldset{border:0;padding:0;margin:0}
.choice{display:flex;align-items:flex-start;gap:.5rem;margin:.6rem 0}
.choice input{width:1.25rem;height:1.25rem;margin-top:.3rem}
.choice label{font-weight:400;margin:0}
.visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}
.scopes{padding-left:1.25rem}
.qr{text-align:center}
.qr img{width:14rem;height:14rem;image-rendering:pixelated}
code.uri{display:block;word-break:break-all;background:#fafafa;border:1px solid #d9d9d9;padding:.5rem;font-size:.85rem}
.footer{text-align:center;color:#595959;font-size:.85rem;padding:1rem}
@media (max-width:480px){.card{margin:0;border-radius:0;box-shadow:none}.banner-inner{padding:.6rem .75rem}.switches{margin-left:0}}
`
