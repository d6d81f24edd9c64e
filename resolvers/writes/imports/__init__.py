"""The bulk importer (批量导入): departments' 双公示 exports and other record files, streamed
in batches through the write service (``runner``), read by ``readers``, mapped by ``formats``."""
