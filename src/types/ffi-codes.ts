/** libffi type codes, as the native core defines them. Aggregates get codes >= StructBase at registration. */
import { constants } from "../native";

export const FfiCode = constants.types;
