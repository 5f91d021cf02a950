#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# SPDX-FileCopyrightText: Community Platform authors
# A stand-in malware scanner for tst_filesscan's external-command variant, with the
# clamscan contract: the file is the last argument; exit 0 clean, 1 infected (first line
# "<path>: <name> FOUND"), anything else an error. Markers in the content choose.
file="$1"
if grep -q 'EICAR-STANDARD-ANTIVIRUS-TEST-FILE' "$file"; then
    echo "$file: Community.Script.EICAR FOUND"
    exit 1
fi
if grep -q 'SCANNER-BREAK' "$file"; then
    echo "scanner: database is corrupt" >&2
    exit 2
fi
if grep -q 'SCANNER-SLOW' "$file"; then
    sleep 10
fi
exit 0
