"""Case table for `cloud_destruction` (issue 16 item 4): deletes through aws, gcloud, az and
other cloud CLIs, infrastructure-as-code destroys, object storage and Docker data."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from nlsh.records import Level

S, C, D, B = Level.SAFE, Level.CAUTION, Level.DANGEROUS, Level.BLOCKED
Check = Callable[[str, str, Level, str], None]

FAMILY = "cloud_destruction"

CASES: list[tuple[str, Level, str]] = [
    ("aws ec2 terminate-instances --instance-ids i-0abc", D, "aws ec2 terminate-instances"),
    ("aws --profile prod --region us-east-1 rds delete-db-instance --db-instance-identifier db1",
     D, "aws rds delete-db-instance"),
    ("aws dynamodb delete-table --table-name orders", D, "permanently removes AWS resources"),
    ("aws cloudformation delete-stack --stack-name web", D, "delete-stack"),
    ("aws ecr batch-delete-image --repository-name r --image-ids imageTag=v1", D,
     "batch-delete-image"),
    ("aws s3 rm s3://bucket/ --recursive", D, "every object under an S3 prefix"),
    ("aws s3 rb s3://bucket --force", D, "and everything in it"),
    ("aws s3 sync ./empty s3://bucket --delete", D, "sync --delete"),
    ("gcloud projects delete my-project", D, "deletes Google Cloud resources (projects delete)"),
    ("gcloud --project p compute instances delete vm1 --zone z", D,
     "(compute instances delete)"),
    ("gcloud container clusters delete prod --quiet", D, "without asking"),
    ("gcloud storage rm -r gs://bucket/data", D, "every object under a Cloud Storage path"),
    ("gsutil -m rm -r gs://bucket", D, "every object under a Cloud Storage path"),
    ("az group delete --name rg1 --yes", D, "deletes Azure resources (group delete)"),
    ("az storage blob delete-batch -s logs --account-name acct", D, "delete-batch"),
    ("az vm delete -g rg -n vm1", D, "(vm delete)"),
    ("doctl compute droplet delete web-1", D, "doctl compute droplet delete"),
    ("hcloud server delete web-1", D, "hcloud server delete"),
    ("terraform destroy -auto-approve", D, "without asking"),
    ("pulumi destroy --yes", D, "Pulumi stack"),
    ("docker volume rm pgdata", D, "Docker volumes"),
    # look-alikes and narrower deletions
    ("aws s3 rm s3://bucket/one.txt", C, "deletes an S3 object"),
    ("aws s3 rb s3://empty-bucket", C, "deletes an S3 bucket"),
    ("gcloud storage rm gs://bucket/one.txt", C, "deletes Cloud Storage objects"),
    ("docker rmi old-image", C, "removes Docker images"),
    ("aws s3 ls", C, ""),
    ("aws ec2 describe-instances --region us-east-1", C, ""),
    ("aws --region delete-me s3 ls", C, ""),
    ("gcloud compute instances list", C, ""),
    ("az vm list -g rg", C, ""),
    ("terraform plan", C, ""),
    ("aws s3 sync ./site s3://bucket", C, ""),
]


@pytest.mark.parametrize(("command", "level", "fragment"), CASES, ids=[c for c, _, _ in CASES])
def test_case(check: Check, command: str, level: Level, fragment: str) -> None:
    check(FAMILY, command, level, fragment)

