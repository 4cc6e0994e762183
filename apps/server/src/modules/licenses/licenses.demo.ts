export async function seedLicensesDemo(..._args: unknown[]): Promise<void> {}
