import argparse


def main():
    argparse.ArgumentParser().parse_args()
