#!/usr/bin/env python3
"""Writes Tests/AWSTests/Fixtures/sigv4-vectors.json: SigV4 signatures computed by botocore's
signer, an implementation independent of Berth's, for Berth's tests to reproduce.

Run `make vectors` (needs botocore, which moto brings) and commit the result.
"""
import datetime
import json
import os
import sys
from unittest import mock

import botocore.auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

TIMESTAMP = datetime.datetime(2026, 11, 22, 9, 30, 15)

CASES = [
    {
        "name": "query protocol POST with a form body",
        "method": "POST", "url": "https://cloudformation.eu-west-1.amazonaws.com/", "query": [],
        "headers": [["Content-Type", "application/x-www-form-urlencoded; charset=utf-8"]],
        "body": "Action=DescribeStacks&Version=2010-05-15&StackName=shop-api-dev",
        "region": "eu-west-1", "service": "cloudformation", "token": None,
    },
    {
        "name": "JSON 1.1 POST with a target header and session token",
        "method": "POST", "url": "https://api.ecr.us-east-1.amazonaws.com/", "query": [],
        "headers": [["Content-Type", "application/x-amz-json-1.1"], ["X-Amz-Target", "AmazonEC2ContainerRegistry_V20150921.DescribeImages"]],
        "body": '{"repositoryName":"shop/api","imageIds":[{"imageTag":"dev-20261122-093000-0123abcd"}]}',
        "region": "us-east-1", "service": "ecr", "token": "FQoGZXIvYXdzEJr//////////wEaDFAKESESSIONTOKEN+/=",
    },
    {
        "name": "GET with reserved characters in the query",
        "method": "GET", "url": "https://sts.eu-central-1.amazonaws.com/",
        "query": [["Action", "GetCallerIdentity"], ["Version", "2011-06-15"], ["Note", "a b/c=d&e~f*g+h"], ["Ünïcode", "välue ✓"], ["empty", ""]],
        "headers": [], "body": "", "region": "eu-central-1", "service": "sts", "token": None,
    },
    {
        "name": "empty body on a non-default port",
        "method": "POST", "url": "http://127.0.0.1:5123/", "query": [],
        "headers": [["Content-Type", "application/x-amz-json-1.1"], ["X-Amz-Target", "AmazonEC2ContainerServiceV20141113.ListTasks"]],
        "body": "", "region": "eu-west-1", "service": "ecs", "token": None,
    },
    {
        "name": "large body and header values with runs of spaces",
        "method": "POST", "url": "https://cloudformation.us-west-2.amazonaws.com/", "query": [],
        "headers": [["Content-Type", "application/x-www-form-urlencoded"], ["X-Amz-Meta-Note", "  several   spaces  here "]],
        "body": "Action=CreateChangeSet&TemplateBody=" + ("%7B%22Resources%22%3A%7B%7D%7D" * 3000),
        "region": "us-west-2", "service": "cloudformation", "token": "short-token",
    },
    {
        "name": "path with characters to encode",
        "method": "GET", "url": "https://example.us-east-1.amazonaws.com/a path/with~tilde/and:colon", "query": [["max-results", "10"]],
        "headers": [], "body": "", "region": "us-east-1", "service": "ecs", "token": None,
    },
]


def sign(case):
    credentials = Credentials("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", case["token"])
    request = AWSRequest(method=case["method"], url=case["url"], data=case["body"].encode(),
                         params=[tuple(pair) for pair in case["query"]] or None,
                         headers={name: value for name, value in case["headers"]})
    signer = botocore.auth.SigV4Auth(credentials, case["service"], case["region"])
    with mock.patch.object(botocore.auth, "get_current_datetime", return_value=TIMESTAMP):
        # What add_auth does, step by step, keeping the intermediate texts.
        request.context["timestamp"] = TIMESTAMP.strftime(botocore.auth.SIGV4_TIMESTAMP)
        signer._modify_request_before_signing(request)
        canonical_request = signer.canonical_request(request)
        string_to_sign = signer.string_to_sign(request, canonical_request)
        signer.add_auth(request)
    return {
        "canonicalRequest": canonical_request,
        "stringToSign": string_to_sign,
        "authorization": request.headers["Authorization"],
        "amzDate": request.headers["X-Amz-Date"],
    }


def main():
    vectors = []
    for case in CASES:
        vector = dict(case)
        vector["accessKeyId"] = "AKIDEXAMPLE"
        vector["secretAccessKey"] = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
        vector["epochSeconds"] = int(TIMESTAMP.replace(tzinfo=datetime.timezone.utc).timestamp())
        vector["expected"] = sign(case)
        vectors.append(vector)
    path = sys.argv[1] if len(sys.argv) > 1 else "Tests/AWSTests/Fixtures/sigv4-vectors.json"
    with open(path, "w") as handle:
        json.dump(vectors, handle, indent=2, ensure_ascii=False)
        handle.write("\n")
    print(f"wrote {len(vectors)} vectors to {path}")


if __name__ == "__main__":
    main()
