"""boto3 side of ArtifactBenchmark: the same transfers against the same S3Proxy, timed the same way.

argv: endpoint access_key secret_key bucket small_dir big_file scratch_dir concurrency key_prefix
Prints one JSON object with seconds per phase.
"""
import json
import os
import sys
import time
from concurrent.futures import ThreadPoolExecutor

import boto3
from boto3.s3.transfer import TransferConfig
from botocore.config import Config

endpoint, access, secret, bucket, small_dir, big_file, scratch, conc, prefix = sys.argv[1:10]
conc = int(conc)
MIB = 1024 * 1024
s3 = boto3.client("s3", endpoint_url=endpoint, aws_access_key_id=access, aws_secret_access_key=secret,
                  region_name="us-east-1",
                  config=Config(s3={"addressing_style": "path"}, max_pool_connections=conc * 2 + 2))
# Same knobs as the Java side: 16 MiB threshold, 8 MiB parts, `conc` parts in flight.
cfg = TransferConfig(multipart_threshold=16 * MIB, multipart_chunksize=8 * MIB, max_concurrency=conc)
names = sorted(os.listdir(small_dir))
out = {}


def timed(label, fn):
    start = time.perf_counter()
    fn()
    out[label] = time.perf_counter() - start


def up_small():
    with ThreadPoolExecutor(conc) as pool:
        list(pool.map(lambda n: s3.upload_file(os.path.join(small_dir, n), bucket, prefix + "/small/" + n, Config=cfg), names))


def down_small():
    os.makedirs(os.path.join(scratch, prefix.replace("/", "-") + "-small"), exist_ok=True)
    with ThreadPoolExecutor(conc) as pool:
        list(pool.map(lambda n: s3.download_file(bucket, prefix + "/small/" + n, os.path.join(scratch, prefix.replace("/", "-") + "-small", n),
                                                 Config=cfg), names))


def up_big():
    s3.upload_file(big_file, bucket, prefix + "/big.bin", Config=cfg)


def down_big():
    s3.download_file(bucket, prefix + "/big.bin", os.path.join(scratch, prefix.replace("/", "-") + "-big.bin"), Config=cfg)


timed("upload_small", up_small)
timed("download_small", down_small)
timed("upload_big", up_big)
timed("download_big", down_big)
os.remove(os.path.join(scratch, prefix.replace("/", "-") + "-big.bin"))
print(json.dumps(out))
