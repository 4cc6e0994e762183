// Minimal types for the `sm-crypto` devDependency, used only to cross-check SM2 in tests.
declare module 'sm-crypto' {
  type SignOptions = { der?: boolean; hash?: boolean; publicKey?: string; userId?: string }
  const smCrypto: {
    sm2: {
      doSignature: (msg: string | number[], privateKey: string, options?: SignOptions) => string
      doVerifySignature: (
        msg: string | number[],
        signHex: string,
        publicKey: string,
        options?: SignOptions,
      ) => boolean
    }
  }
  export default smCrypto
}
