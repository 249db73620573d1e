"""The moving-in part of `make demo`: the shop's web front end already runs, as in the story of
the immutable-tag conflict. Its CI made the repository `shop/web` by hand, mutable, and pushes a
dated tag and `latest` on every build. Berth adopts the repository with every image (the import
answered by a LOCAL STAND-IN for CloudFormation, since moto cannot import), keeps `latest`
movable beside immutable dated tags, and its gate refuses to deploy the moving tag."""
import hashlib
import time

from cfn_import_stand_in import ImportStandIn

REPOSITORY = "shop/web"
STACK = "shop-web-ecr"


def ecr_client(port):
    import boto3
    return boto3.client("ecr", region_name="eu-west-1", endpoint_url=f"http://127.0.0.1:{port}",
                        aws_access_key_id="AKIDLOCAL", aws_secret_access_key="local")


def push(ecr, tag, build):
    """A CI build's push: the image under `tag`, with the digest of its own manifest."""
    manifest = ('{"schemaVersion":2,"mediaType":"application/vnd.docker.distribution.manifest.v2+json",'
                '"layers":[],"annotations":{"build":"%s"}}' % build)
    digest = "sha256:" + hashlib.sha256(manifest.encode()).hexdigest()
    ecr.put_image(repositoryName=REPOSITORY, imageTag=tag, imageManifest=manifest, imageDigest=digest)
    return digest


def digests(ecr):
    images = ecr.describe_images(repositoryName=REPOSITORY, maxResults=1000)["imageDetails"]
    return {image["imageDigest"] for image in images}


class MovingIn:
    """The existing repository, and the stand-in that answers CloudFormation about the stack that
    adopts it; every other call goes through the stand-in to moto."""

    def __init__(self, port):
        self.ecr = ecr_client(port)
        self.ecr.create_repository(repositoryName=REPOSITORY, imageTagMutability="MUTABLE")
        self.builds = [f"dev-202611{day:02d}-0900{day:02d}-{hashlib.sha1(str(day).encode()).hexdigest()[:8]}" for day in range(1, 13)]
        for number, tag in enumerate(self.builds, start=1):
            if number > 1:
                time.sleep(1.05)  # moto keeps push times in whole seconds: one build a second keeps them in order
            push(self.ecr, tag, number)
            push(self.ecr, "latest", number)
        self.before = digests(self.ecr)
        print(f"\n### before Berth: the team's CI made {REPOSITORY} by hand (MUTABLE) and pushed 12 builds, each under a dated tag "
              f"and as `latest`: {len(self.before)} images, `latest` on the newest")
        self.stand_in = ImportStandIn(port, stack_name=STACK, logical_id="Repository", repository=REPOSITORY, ecr=self.ecr)
        self.endpoint = f"http://127.0.0.1:{self.stand_in.port}"
        print(f"\n### from here on, berth talks to a LOCAL STAND-IN for CloudFormation on 127.0.0.1:{self.stand_in.port}: it answers "
              f"the calls about the stack {STACK}, which imports the repository (moto 5.2.1 cannot import), and relays every "
              "other call to moto")

    def check_every_image_kept(self):
        after = digests(self.ecr)
        if after != self.before:
            raise SystemExit(f"demo: the adoption changed the images: {len(self.before)} before, {len(after)} after")
        print(f"\n### every image of {REPOSITORY} is still there: {len(after)} of {len(self.before)}, the same digests")

    def show_tag_rules(self):
        push(self.ecr, "latest", 13)
        print("\n### CI pushes `latest` again: accepted, `latest` is excluded from immutability (IMMUTABLE_WITH_EXCLUSION)")
        try:
            push(self.ecr, self.builds[0], 14)
        except self.ecr.exceptions.ClientError as error:
            print(f"### CI pushes over {self.builds[0]}: refused by ECR ({error.response['Error']['Code']}); dated tags are immutable now")
            return
        raise SystemExit(f"demo: {self.builds[0]} was overwritten; dated tags should be immutable after the adoption")

    def close(self):
        self.stand_in.close()
