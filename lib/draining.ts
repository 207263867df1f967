const holder = globalThis as typeof globalThis & { __acceptedDraining?: boolean };

/**
 * This web process was asked to stop and is finishing its requests: a load
 * balancer should send it no more (readiness answers 503 from now on).
 */
export function startDraining(): void {
  holder.__acceptedDraining = true;
}

export const isDraining = (): boolean => holder.__acceptedDraining === true;
