import { createContext, useContext, useMemo, type ReactNode } from 'react';
import { useStore } from 'zustand';
import type { LabState, LabStore } from './types';
import { browserPacing, createPacedStore } from './pacedStore';

const LabStoreContext = createContext<LabStore | null>(null);

export function LabStoreProvider({ store, children }: { store: LabStore; children: ReactNode }) {
  return <LabStoreContext.Provider value={store}>{children}</LabStoreContext.Provider>;
}

export function useLabStore(): LabStore {
  const store = useContext(LabStoreContext);
  if (!store) throw new Error('useLab must be used inside <LabStoreProvider>.');
  return store;
}

/**
 * Its children see Play's steps at most once every `intervalMs` (see createPacedStore); everything
 * else at once. The store itself and readers outside still see every step.
 */
export function PacedLab({ intervalMs, children }: { intervalMs: number; children: ReactNode }) {
  const store = useLabStore();
  const paced = useMemo(() => createPacedStore(store, browserPacing(intervalMs)), [store, intervalMs]);
  return <LabStoreProvider store={paced}>{children}</LabStoreProvider>;
}

/** Selects one narrow piece of the lab's state; wrap tuple selectors in `useShallow`. */
export function useLab<T>(selector: (state: LabState) => T): T {
  return useStore(useLabStore(), selector);
}
