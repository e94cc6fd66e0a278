// Where the vault's device key lives: its own small IndexedDB database, apart from the data that
// "Delete all data" wipes, since losing it would make the stored API key unreadable.
import Dexie, { type EntityTable } from 'dexie';
import type { DeviceKeyStore } from './vault';

interface KeyRow {
  id: string;
  key: CryptoKey;
}

export function dexieDeviceKeyStore(name = 'precis-vault', indexedDB?: IDBFactory, keyRange?: typeof IDBKeyRange): DeviceKeyStore {
  const db = new Dexie(name, indexedDB && keyRange ? { indexedDB, IDBKeyRange: keyRange } : undefined) as Dexie & {
    keys: EntityTable<KeyRow, 'id'>;
  };
  db.version(1).stores({ keys: 'id' });
  return {
    load: async () => (await db.keys.get('device'))?.key,
    save: async (key) => void (await db.keys.put({ id: 'device', key })),
  };
}
