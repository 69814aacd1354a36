import type { StabilityRow } from "./StabilityRow";
import type { TornadoRow } from "./TornadoRow";

export type SensitivityReport = { vendor_id: string, tornado: Array<TornadoRow>, stability: Array<StabilityRow>, };
