mock_provider "aws" {
  # the provider validates ARNs: give the mocked policy and role well-formed ones
  mock_resource "aws_iam_policy" {
    defaults = { arn = "arn:aws:iam::444455556666:policy/mock" }
  }
  mock_resource "aws_iam_role" {
    defaults = { arn = "arn:aws:iam::444455556666:role/mock" }
  }
}

variables {
  account_id   = "444455556666"
  region       = "eu-west-1"
  app_name     = "acme-enrich"
  read_streams = [{ name = "acme-raw-good" }]
  run_as       = "ecs"
}

run "consumer_kcl2_reads_its_stream_and_uses_its_lease_table" {
  command = apply

  assert {
    condition     = [for s in jsondecode(output.policy_json).Statement : s.Action if s.Sid == "ReadStreams"][0] == ["kinesis:DescribeStream", "kinesis:DescribeStreamSummary", "kinesis:GetRecords", "kinesis:GetShardIterator", "kinesis:ListShards"]
    error_message = "a KCL 2 consumer reads its stream"
  }
  assert {
    condition     = [for s in jsondecode(output.policy_json).Statement : s.Resource if s.Sid == "UseLeaseTable"][0] == ["arn:aws:dynamodb:eu-west-1:444455556666:table/acme-enrich"]
    error_message = "the lease table is named after the application"
  }
  assert {
    condition     = [for s in jsondecode(output.policy_json).Statement : s.Condition.StringEquals["cloudwatch:namespace"] if s.Sid == "PublishAppMetrics"][0] == "acme-enrich"
    error_message = "metrics only in the application's namespace"
  }
  assert {
    condition     = length([for s in jsondecode(output.policy_json).Statement : s if contains(s.Action, "kinesis:PutRecord")]) == 0
    error_message = "a consumer never writes to the stream"
  }
  assert {
    condition     = jsondecode(output.trust_policy_json).Statement[0].Condition.StringEquals["aws:SourceAccount"] == "444455556666"
    error_message = "ECS tasks of this account only"
  }
}

run "producer_writes_only" {
  command = apply

  variables {
    read_streams  = []
    write_streams = [{ name = "acme-raw-good" }, { name = "acme-bad", kms_key_arn = "arn:aws:kms:eu-west-1:444455556666:key/1234abcd-12ab-34cd-56ef-1234567890ab" }]
  }

  assert {
    condition     = jsondecode(output.policy_json).Statement[0].Resource == ["arn:aws:kinesis:eu-west-1:444455556666:stream/acme-bad", "arn:aws:kinesis:eu-west-1:444455556666:stream/acme-raw-good"]
    error_message = "a producer writes its streams"
  }
  assert {
    condition     = contains(jsondecode(output.policy_json).Statement[0].Action, "kinesis:ListShards")
    error_message = "the KPL lists shards (every release since 0.14)"
  }
  assert {
    condition     = jsondecode(output.policy_json).Statement[1].Sid == "EncryptStreamRecords"
    error_message = "encrypted streams get kms:GenerateDataKey through Kinesis"
  }
  assert {
    condition     = jsondecode(output.policy_json).Statement[2].Condition.StringEquals["cloudwatch:namespace"] == "KinesisProducerLibrary"
    error_message = "the KPL's metrics only in its own namespace"
  }
}

# Snowplow's S3 loader: reads a stream, writes S3 and a bad stream, in one role
run "one_app_reads_writes_and_writes_s3" {
  command = apply

  variables {
    write_streams = [{ name = "acme-bad" }]
    s3_writes     = [{ bucket = "acme-archive", prefix = "enriched/", kms_key_arn = "arn:aws:kms:eu-west-1:444455556666:key/1234abcd-12ab-34cd-56ef-1234567890ab" }]
  }

  assert {
    condition     = [for s in jsondecode(output.policy_json).Statement : s.Resource if s.Sid == "WriteS3Objects"][0] == ["arn:aws:s3:::acme-archive/enriched/*"]
    error_message = "objects only under the prefix"
  }
  assert {
    condition     = [for s in jsondecode(output.policy_json).Statement : s.Action if s.Sid == "EncryptS3Objects"][0] == ["kms:Decrypt", "kms:GenerateDataKey"]
    error_message = "multipart uploads to an SSE-KMS bucket need Decrypt and GenerateDataKey"
  }
  assert {
    condition     = length([for s in jsondecode(output.policy_json).Statement : s if s.Sid == "ReadStreams" || s.Sid == "WriteStreams"]) == 2
    error_message = "reads and writes in one policy"
  }
}

run "kcl3_gets_its_state_tables_and_index_query" {
  command = apply

  variables {
    kcl_version = 3
    run_as      = "ec2"
  }

  assert {
    condition     = [for s in jsondecode(output.policy_json).Statement : s.Resource if s.Sid == "QueryLeaseTableIndexes"][0] == ["arn:aws:dynamodb:eu-west-1:444455556666:table/acme-enrich/index/*"]
    error_message = "KCL 3 queries the lease table's indexes"
  }
  assert {
    condition     = output.instance_profile_name == "acme-enrich"
    error_message = "EC2 apps get an instance profile"
  }
}

run "rejects_a_wildcard_stream_name" {
  command = plan

  variables {
    read_streams = [{ name = "acme-*" }]
  }

  expect_failures = [var.read_streams]
}

run "rejects_kcl_version_4" {
  command = plan

  variables {
    kcl_version = 4
  }

  expect_failures = [var.kcl_version]
}

# plan, not apply: the lease table carries prevent_destroy, which the test's teardown would hit
run "a_managed_lease_table_is_guarded_and_the_app_cannot_create_it" {
  command = plan

  variables {
    create_lease_table = true
  }

  assert {
    condition     = aws_dynamodb_table.lease[0].point_in_time_recovery[0].enabled && aws_dynamodb_table.lease[0].deletion_protection_enabled
    error_message = "the lease table has point-in-time recovery and deletion protection"
  }
  assert {
    condition     = !contains([for s in jsondecode(output.policy_json).Statement : s.Action if s.Sid == "UseLeaseTable"][0], "dynamodb:CreateTable")
    error_message = "an app whose table Terraform manages cannot create it"
  }
}

run "create_user_gives_a_user_the_same_policy" {
  command = plan

  variables {
    create_user = true
  }

  assert {
    condition     = aws_iam_user.this[0].name == var.app_name && aws_iam_user.this[0].force_destroy && length(aws_iam_user_policy_attachment.this) == 1
    error_message = "create_user makes the app's user, deletable, with the app's policy attached"
  }
}
