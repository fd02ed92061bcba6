// What lavisc writes to disk and where: one atomic writer, the faults of the machine as user-facing errors, and the
// roots a config may make lavisc write into.
export { writeFileAtomic, makeFolder, type FileChunks, type WriteOptions } from "./atomicWrite.js";
export { StorageError, storageFault, notAFolder, badPath, byteSize, freeBytes, type StorageFault } from "./storageError.js";
export { isInside } from "./confine.js";
export { lockFolder, type FolderLock } from "./folderLock.js";
