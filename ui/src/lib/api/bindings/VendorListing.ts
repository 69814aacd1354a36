export type VendorListing = { vendor_id: string, name: string, hq_country: string, privilege: string, category: string, mitigation: number, };
